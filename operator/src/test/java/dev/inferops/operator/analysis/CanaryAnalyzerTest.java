package dev.inferops.operator.analysis;

import static dev.inferops.operator.analysis.TestPods.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Windows over pods' counters, with a fake source: baselines, deltas, failures. */
class CanaryAnalyzerTest {

  private static final ResourceID HEART = new ResourceID("heart", "shop");
  private static final AnalysisThresholds LIMITS = new AnalysisThresholds(1.0, 50, 50, 50);
  private static final int PORT = 8000;

  private final FakeMetricsSource source = new FakeMetricsSource();
  private final CanaryAnalyzer analyzer = new CanaryAnalyzer(source);

  private final Pod canary1 = running("heart-canary-1", "10.0.0.1");
  private final Pod stable1 = running("heart-stable-1", "10.0.0.2");
  private final Pod stable2 = running("heart-stable-2", "10.0.0.3");

  private Verdict analyse(String window, List<Pod> canary, List<Pod> stable) {
    return analyzer.analyse(HEART, window, canary, stable, PORT, LIMITS);
  }

  @Test
  void theFirstCallOfAWindowReadsEveryPodOnceAndKeepsTheBaseline() {
    source
        .answer("heart-canary-1", new Exposition().predictions(10, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(10, 0.001))
        .answer("heart-stable-2", new Exposition());

    Verdict v = analyse("r2/0", List.of(canary1), List.of(stable1, stable2, stable1));

    assertThat(v)
        .isEqualTo(
            new Verdict(
                VerdictKind.INCONCLUSIVE,
                "window",
                "window started: baseline read from 1 canary pod and 3 stable pods",
                VersionFigures.NONE,
                VersionFigures.NONE));
    assertThat(source.reads)
        .containsExactly("heart-canary-1:8000", "heart-stable-1:8000", "heart-stable-2:8000");
  }

  @Test
  void onlyTrafficSinceTheBaselineIsJudged() {
    // Before the window the canary failed a lot; in it, not once.
    source
        .answer("heart-canary-1", new Exposition().errors(500, 0.001).predictions(10, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source
        .answer(
            "heart-canary-1",
            new Exposition().errors(500, 0.001).predictions(10, 0.001).predictions(100, 0.003))
        .answer("heart-stable-1", new Exposition().predictions(200, 0.001));

    Verdict v = analyse("r2/0", List.of(canary1), List.of(stable1));

    assertThat(v.kind()).isEqualTo(VerdictKind.PASSED);
    assertThat(v.canary().requests()).isEqualTo(100);
    assertThat(v.canary().errors()).isZero();
    assertThat(v.stable().requests()).isEqualTo(100);
    // 100 canary requests in (2 ms, 5 ms]: rank 95 → 2 + 3 * 95/100 = 4.85 ms.
    assertThat(v.canary().p95Millis()).isCloseTo(4.85, within(1e-9));
    // stable's 100 in (0.5 ms, 1 ms]: 0.5 + 0.5 * 95/100 = 0.975 ms.
    assertThat(v.stable().p95Millis()).isCloseTo(0.975, within(1e-9));
    assertThat(v.message())
        .isEqualTo("canary error rate 0.0 %, p95 4.9 ms; stable 0.0 %, 1 ms; 100 canary requests");
  }

  @Test
  void errorsInTheWindowFailTheCanary() {
    source
        .answer("heart-canary-1", new Exposition())
        .answer("heart-stable-1", new Exposition().predictions(1000, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source
        .answer("heart-canary-1", new Exposition().predictions(88, 0.001).errors(12, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(1999, 0.001).errors(1, 0.001));

    Verdict v = analyse("r2/0", List.of(canary1), List.of(stable1));

    assertThat(v.kind()).isEqualTo(VerdictKind.FAILED);
    assertThat(v.message())
        .isEqualTo("canary error rate 12.0 % > stable 0.1 % + 1 % over 100 requests");
  }

  @Test
  void aPodThatAppearedAfterTheBaselineCountsInFull() {
    Pod canary2 = running("heart-canary-2", "10.0.0.4");
    source
        .answer("heart-canary-1", new Exposition().predictions(40, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source
        .answer("heart-canary-1", new Exposition().predictions(50, 0.001))
        .answer("heart-canary-2", new Exposition().predictions(60, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(200, 0.001));

    Verdict v = analyse("r2/0", List.of(canary1, canary2), List.of(stable1));

    assertThat(v.canary().requests()).isEqualTo(10 + 60);
  }

  @Test
  void aPodRecreatedUnderTheSameNameIsANewPod() {
    source
        .answer("heart-canary-1", new Exposition().predictions(40, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source.answer("heart-canary-1", new Exposition().predictions(70, 0.001));

    Verdict v =
        analyse(
            "r2/0", List.of(TestPods.recreated("heart-canary-1", "10.0.0.9")), List.of(stable1));

    assertThat(v.canary().requests()).isEqualTo(70);
  }

  @Test
  void aPodWhoseCountersWentDownRestartedAndCountsWhatItCountedSince() {
    source
        .answer("heart-canary-1", new Exposition().predictions(500, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source.answer("heart-canary-1", new Exposition().predictions(60, 0.001));

    assertThat(analyse("r2/0", List.of(canary1), List.of(stable1)).canary().requests())
        .isEqualTo(60);
  }

  @Test
  void aNewProcessStartTimeMeansARestartEvenWhenTheCountersGrew() {
    source
        .answer("heart-canary-1", new Exposition().predictions(10, 0.001).startedAt(1.7e9))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source.answer("heart-canary-1", new Exposition().predictions(60, 0.001).startedAt(1.7e9 + 90));

    assertThat(analyse("r2/0", List.of(canary1), List.of(stable1)).canary().requests())
        .isEqualTo(60);

    source.answer("heart-canary-1", new Exposition().predictions(80, 0.001).startedAt(1.7e9 + 90));
    analyse("r2/1", List.of(canary1), List.of(stable1));
    source.answer("heart-canary-1", new Exposition().predictions(150, 0.001).startedAt(1.7e9 + 90));
    assertThat(analyse("r2/1", List.of(canary1), List.of(stable1)).canary().requests())
        .isEqualTo(70);
  }

  @Test
  void aPodGoneSinceTheBaselineDropsOut() {
    source
        .answer("heart-canary-1", new Exposition().predictions(10, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001))
        .answer("heart-stable-2", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1, stable2));
    source
        .answer("heart-canary-1", new Exposition().predictions(110, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(180, 0.001));

    Verdict v = analyse("r2/0", List.of(canary1), List.of(stable1));

    assertThat(v.kind()).isEqualTo(VerdictKind.PASSED);
    assertThat(v.stable().requests()).isEqualTo(80);
  }

  @Test
  void podsWithoutAnIpTerminatingOrFinishedAreNotRead() {
    source.answer("heart-canary-1", new Exposition()).answer("heart-stable-1", new Exposition());

    Verdict v =
        analyse(
            "r2/0",
            List.of(canary1, TestPods.withoutIp("heart-canary-2")),
            List.of(
                stable1,
                TestPods.terminating("heart-stable-2", "10.0.0.3"),
                TestPods.failed("heart-stable-3", "10.0.0.5")));

    assertThat(v.message())
        .isEqualTo("window started: baseline read from 1 canary pod and 1 stable pod");
    assertThat(source.reads).containsExactly("heart-canary-1:8000", "heart-stable-1:8000");
  }

  @Test
  void noReadableCanaryPodIsInconclusive() {
    source.answer("heart-stable-1", new Exposition());
    analyse("r2/0", List.of(), List.of(stable1));

    Verdict v = analyse("r2/0", List.of(TestPods.withoutIp("heart-canary-1")), List.of(stable1));

    assertThat(v.kind()).isEqualTo(VerdictKind.INCONCLUSIVE);
    assertThat(v.measure()).isEqualTo("traffic");
    assertThat(v.message()).isEqualTo("inconclusive: no running canary pod with an IP to read");
  }

  @Test
  void tooLittleCanaryTrafficIsInconclusive() {
    source.answer("heart-canary-1", new Exposition()).answer("heart-stable-1", new Exposition());
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source.answer("heart-canary-1", new Exposition().predictions(12, 0.001));

    Verdict v = analyse("r2/0", List.of(canary1), List.of(stable1));

    assertThat(v.message()).isEqualTo("inconclusive: 12 canary requests in the window, 50 needed");
  }

  @Test
  void anUnreadablePodMakesTheVerdictInconclusiveAndSaysWhy() {
    source
        .answer("heart-canary-1", new Exposition())
        .answer("heart-stable-1", new Exposition())
        .answer("heart-stable-2", new Exposition());
    analyse("r2/0", List.of(canary1), List.of(stable1, stable2));
    source
        .answer("heart-canary-1", new Exposition().predictions(100, 0.001))
        .fail("heart-stable-1", new IOException("connection refused"));

    Verdict v = analyse("r2/0", List.of(canary1), List.of(stable1, stable2));
    assertThat(v.kind()).isEqualTo(VerdictKind.INCONCLUSIVE);
    assertThat(v.measure()).isEqualTo("metrics");
    assertThat(v.message())
        .isEqualTo("could not read /metrics of pod heart-stable-1: connection refused");

    source.answer("heart-stable-2", "<html>\n");
    assertThat(analyse("r2/0", List.of(canary1), List.of(stable1, stable2)).message())
        .isEqualTo(
            "could not read /metrics of pod heart-stable-1: connection refused (and 1 more pod)");
  }

  @Test
  void malformedTextAndClientExceptionsAreReadFailuresNotCrashes() {
    source
        .answer("heart-canary-1", "<html>\n")
        .fail("heart-stable-1", new KubernetesClientException("pods \"x\" is forbidden:\n  no"))
        .fail("heart-stable-2", new IOException());

    analyse("r2/0", List.of(canary1), List.of());
    assertThat(analyse("r2/0", List.of(canary1), List.of()).message())
        .isEqualTo(
            "window not started: could not read /metrics of pod heart-canary-1:"
                + " line 1 is not Prometheus text: expected a metric name at column 1");
    assertThat(analyse("r2/0", List.of(), List.of(stable1)).message())
        .isEqualTo(
            "window not started: could not read /metrics of pod heart-stable-1:"
                + " pods \"x\" is forbidden: no");
    assertThat(analyse("r2/0", List.of(), List.of(stable2)).message())
        .isEqualTo(
            "window not started: could not read /metrics of pod heart-stable-2: IOException");
  }

  @Test
  void aWindowStartsOnlyOnceEveryPodCouldBeRead() {
    source
        .fail("heart-canary-1", new IOException("connection refused"))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));

    Verdict first = analyse("r2/0", List.of(canary1), List.of(stable1));
    assertThat(first.measure()).isEqualTo("window");
    assertThat(first.message())
        .isEqualTo(
            "window not started: could not read /metrics of pod heart-canary-1: connection refused");

    // Its 400 requests before the window must not count as the window's.
    source.answer("heart-canary-1", new Exposition().predictions(400, 0.001));
    assertThat(analyse("r2/0", List.of(canary1), List.of(stable1)).message())
        .startsWith("window started");
    source.answer("heart-canary-1", new Exposition().predictions(460, 0.001));
    assertThat(analyse("r2/0", List.of(canary1), List.of(stable1)).canary().requests())
        .isEqualTo(60);
  }

  @Test
  void aNewWindowIdStartsAFreshBaseline() {
    source
        .answer("heart-canary-1", new Exposition().predictions(100, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    source.answer("heart-canary-1", new Exposition().predictions(200, 0.001));

    assertThat(analyse("r2/1", List.of(canary1), List.of(stable1)).measure()).isEqualTo("window");
    source.answer("heart-canary-1", new Exposition().predictions(260, 0.001));
    assertThat(analyse("r2/1", List.of(canary1), List.of(stable1)).canary().requests())
        .isEqualTo(60);
  }

  @Test
  void forgettingAnOwnerDropsItsWindowAndNoOtherOwners() {
    ResourceID other = new ResourceID("other", "shop");
    source
        .answer("heart-canary-1", new Exposition().predictions(100, 0.001))
        .answer("heart-stable-1", new Exposition().predictions(100, 0.001));
    analyse("r2/0", List.of(canary1), List.of(stable1));
    analyzer.analyse(other, "r2/0", List.of(canary1), List.of(stable1), PORT, LIMITS);
    source.answer("heart-canary-1", new Exposition().predictions(200, 0.001));

    analyzer.forget(HEART);

    assertThat(analyse("r2/0", List.of(canary1), List.of(stable1)).measure()).isEqualTo("window");
    assertThat(
            analyzer
                .analyse(other, "r2/0", List.of(canary1), List.of(stable1), PORT, LIMITS)
                .canary()
                .requests())
        .isEqualTo(100);
  }

  @Test
  void anInterruptedReadEndsTheCallAndKeepsTheInterrupt() {
    source.fail("heart-canary-1", new InterruptedException());

    Verdict v = analyse("r2/0", List.of(canary1, running("heart-canary-2", "10.0.0.4")), List.of());

    assertThat(v.message()).isEqualTo("interrupted while reading /metrics");
    assertThat(Thread.interrupted()).isTrue();
    assertThat(source.reads).containsExactly("heart-canary-1:8000");
  }
}
