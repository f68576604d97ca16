package dev.inferops.operator.analysis;

import static dev.inferops.operator.analysis.TestPods.running;
import static dev.inferops.operator.analysis.TestPods.withoutIp;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live pods' shadow counters since a shadow started, with a fake source. */
class ShadowMeterTest {

  private static final ResourceID HEART = new ResourceID("heart", "shop");
  private static final int PORT = 8000;

  private final FakeMetricsSource source = new FakeMetricsSource();
  private final ShadowMeter meter = new ShadowMeter(source);

  private final Pod live1 = running("heart-blue-1", "10.0.0.1");
  private final Pod live2 = running("heart-blue-2", "10.0.0.2");

  private static Exposition counters(long copied, long compared, long agreed) {
    return new Exposition().predictions(copied * 2, 0.001).shadow(copied, compared, agreed, 1, 2);
  }

  @Test
  void theFirstReadIsTheBaselineAndLaterReadsCountTheTrafficSince() {
    source.answer("heart-blue-1", counters(50, 40, 40)).answer("heart-blue-2", counters(5, 5, 4));
    ShadowReading first = meter.read(HEART, "green@t1", List.of(live1, live2), PORT);
    assertThat(first)
        .isEqualTo(
            ShadowReading.counted(
                ShadowTally.EMPTY, "counting from now on: baseline read from 2 live pods"));

    source
        .answer("heart-blue-1", counters(150, 130, 120))
        .answer("heart-blue-2", counters(15, 15, 14));
    ShadowReading later = meter.read(HEART, "green@t1", List.of(live1, live2), PORT);
    assertThat(later.kind()).isEqualTo(ShadowReading.Kind.COUNTED);
    assertThat(later.tally()).isEqualTo(new ShadowTally(110, 100, 90, 0, 0));
    assertThat(source.reads).hasSize(4);
  }

  @Test
  void aNewShadowStartsAgainAndAForgottenOneToo() {
    source.answer("heart-blue-1", counters(50, 40, 40));
    meter.read(HEART, "green@t1", List.of(live1), PORT);
    source.answer("heart-blue-1", counters(60, 50, 50));
    assertThat(meter.read(HEART, "green@t2", List.of(live1), PORT).tally())
        .as("another verification of the preview")
        .isEqualTo(ShadowTally.EMPTY);
    meter.forget(HEART);
    source.answer("heart-blue-1", counters(70, 60, 60));
    assertThat(meter.read(HEART, "green@t2", List.of(live1), PORT).message())
        .startsWith("counting from now on");
  }

  @Test
  void aPodThatRestartedOrAppearedCountsInFull() {
    source.answer("heart-blue-1", counters(50, 40, 40).startedAt(100));
    meter.read(HEART, "green@t1", List.of(live1), PORT);
    source
        .answer("heart-blue-1", counters(8, 8, 8).startedAt(200))
        .answer("heart-blue-2", counters(3, 3, 2));
    assertThat(meter.read(HEART, "green@t1", List.of(live1, live2), PORT).tally())
        .isEqualTo(new ShadowTally(11, 11, 10, 2, 4));
  }

  @Test
  void anUnreadablePodOrNoLivePodCountsNothingAndSaysWhy() {
    source.fail("heart-blue-1", new IOException("connection refused"));
    ShadowReading unread = meter.read(HEART, "green@t1", List.of(live1), PORT);
    assertThat(unread.kind()).isEqualTo(ShadowReading.Kind.UNREAD);
    assertThat(unread.message())
        .isEqualTo("could not read /metrics of pod heart-blue-1: connection refused");
    assertThat(meter.read(HEART, "green@t1", List.of(withoutIp("heart-blue-3")), PORT))
        .isEqualTo(ShadowReading.unread("no running live pod with an IP to read"));
  }

  @Test
  void anAppWithoutShadowCountersReadsAsZero() {
    source.answer("heart-blue-1", new Exposition().predictions(10, 0.001));
    meter.read(HEART, "green@t1", List.of(live1), PORT);
    assertThat(meter.read(HEART, "green@t1", List.of(live1), PORT).tally())
        .isEqualTo(ShadowTally.EMPTY);
  }
}
