package dev.inferops.operator.rollout.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.api.v1alpha1.RollingUpdateStatus;
import dev.inferops.operator.api.v1alpha1.RollingUpdateStatusBuilder;
import dev.inferops.operator.events.EventRecorder.Reason;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Decision;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Input;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Lookup;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Observed;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rolling Deployment's memory and automatic rollback, step by step, without a cluster. */
class RollingUpdateRolloutTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final String V1 = "aaaaaaaaaa";
  private static final String V2 = "bbbbbbbbbb";
  private static final String V3 = "cccccccccc";
  private static final String PODS = "pod heart-x: Unschedulable (0/3 nodes are available)";

  private static PodTemplateSpec template(String revision) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToAnnotations("inferops.dev/template-hash", revision + "000000")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("inference")
        .withImage("img-" + revision)
        .endContainer()
        .endSpec()
        .build();
  }

  private static Observed available(String revision) {
    return new Observed(revision, "img-" + revision, template(revision), true, true, false);
  }

  private static Observed rollingOut(String revision) {
    return new Observed(revision, "img-" + revision, template(revision), true, false, false);
  }

  private static Observed stuck(String revision) {
    return new Observed(revision, "img-" + revision, template(revision), true, false, true);
  }

  private static Input input(
      String spec, boolean autoRollback, RollingUpdateStatus previous, Observed deployment) {
    return new Input(
        spec,
        "img-" + spec,
        autoRollback,
        previous,
        Optional.ofNullable(deployment),
        PODS,
        false,
        Optional.empty(),
        T0);
  }

  private static Input retry(Input in) {
    return new Input(
        in.specRevision(),
        in.specImage(),
        in.autoRollback(),
        in.previous(),
        in.deployment(),
        in.podsProblem(),
        true,
        in.lookup(),
        in.now());
  }

  private static RollingUpdateStatus availableStatus(String revision) {
    return new RollingUpdateStatusBuilder()
        .withAvailableRevision(revision)
        .withAvailableImage("img-" + revision)
        .build();
  }

  /** V1 available, V2 failed and rolled back to V1. */
  private static RollingUpdateStatus rolledBack() {
    Input in = input(V2, true, availableStatus(V1), stuck(V2));
    return RollingUpdateRollout.decide(in.withLookup(new Lookup(V1, template(V1)))).status();
  }

  @Test
  void nothingIsRecordedBeforeTheDeploymentRunsFullyAvailable() {
    assertThat(RollingUpdateRollout.decide(input(V1, false, null, null)).status()).isNull();
    assertThat(RollingUpdateRollout.decide(input(V1, false, null, rollingOut(V1))).status())
        .isNull();
    Observed notCaughtUp = new Observed(V1, "img-" + V1, template(V1), false, true, false);
    assertThat(RollingUpdateRollout.decide(input(V1, false, null, notCaughtUp)).status()).isNull();
  }

  @Test
  void recordsTheSpecsRevisionOnceTheDeploymentRunsItFullyAvailable() {
    Decision d = RollingUpdateRollout.decide(input(V1, false, null, available(V1)));

    assertThat(d.status()).isEqualTo(availableStatus(V1));
    assertThat(d.template()).isEmpty();
    assertThat(d.announcements()).isEmpty();
    // A template that is not the spec's is not recorded, however available.
    Decision other = RollingUpdateRollout.decide(input(V2, false, d.status(), available(V1)));
    assertThat(other.status()).isEqualTo(availableStatus(V1));
  }

  @Test
  void aStuckRolloutFirstAsksForTheOldTemplateThenRollsBackToIt() {
    Input in = input(V2, true, availableStatus(V1), stuck(V2));

    Decision first = RollingUpdateRollout.decide(in);
    assertThat(first.lookupDue()).contains(V1);
    assertThat(first.announcements()).isEmpty();

    Decision d = RollingUpdateRollout.decide(in.withLookup(new Lookup(V1, template(V1))));
    assertThat(d.lookupDue()).isEmpty();
    assertThat(d.template()).contains(template(V1));
    RollingUpdateStatus st = d.status();
    assertThat(st.getAvailableRevision()).isEqualTo(V1);
    assertThat(st.getFailedRevision()).isEqualTo(V2);
    assertThat(st.getFailedImage()).isEqualTo("img-" + V2);
    assertThat(st.getFailureMessage()).isEqualTo(PODS);
    assertThat(st.getRolledBackAt()).isEqualTo(T0.toString());
    assertThat(d.announcements())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.warning()).isTrue();
              assertThat(a.reason()).isEqualTo(Reason.RolledBack);
              assertThat(a.message())
                  .isEqualTo(
                      "revision bbbbbbbbbb (img-bbbbbbbbbb) exceeded its progress deadline: "
                          + PODS
                          + "; rolled back to revision aaaaaaaaaa (img-aaaaaaaaaa); a spec change"
                          + " or the annotation inferops.dev/retry tries again");
            });
  }

  @Test
  void withoutAutoRollbackAStuckRolloutStays() {
    Decision d = RollingUpdateRollout.decide(input(V2, false, availableStatus(V1), stuck(V2)));

    assertThat(d.lookupDue()).isEmpty();
    assertThat(d.template()).isEmpty();
    assertThat(d.status()).isEqualTo(availableStatus(V1));
  }

  @Test
  void turningAutoRollbackOffAppliesTheSpecAgain() {
    Decision d = RollingUpdateRollout.decide(input(V2, false, rolledBack(), available(V1)));

    assertThat(d.template()).isEmpty();
    assertThat(d.status()).isEqualTo(availableStatus(V1));
  }

  @Test
  void withoutAReplicaSetOfTheOldRevisionNothingIsRolledBackAndThatIsRemembered() {
    Input in = input(V2, true, availableStatus(V1), stuck(V2));
    Decision d = RollingUpdateRollout.decide(in.withLookup(new Lookup(V1, null)));

    assertThat(d.template()).isEmpty();
    assertThat(d.announcements()).isEmpty();
    assertThat(d.status().getFailedRevision()).isEqualTo(V2);
    assertThat(d.status().getRolledBackAt()).isNull();
    assertThat(RollingUpdateRollout.notRolledBackMessage(d.status()))
        .contains(
            "not rolled back to revision aaaaaaaaaa (img-aaaaaaaaaa): the Deployment has no"
                + " ReplicaSet of it left");
    // The next reconcile does not look again.
    Decision next = RollingUpdateRollout.decide(input(V2, true, d.status(), stuck(V2)));
    assertThat(next.lookupDue()).isEmpty();
    assertThat(next.status()).isEqualTo(d.status());
  }

  @Test
  void theFirstRolloutHasNoEarlierRevision() {
    Decision d = RollingUpdateRollout.decide(input(V1, true, null, stuck(V1)));

    assertThat(d.lookupDue()).isEmpty();
    assertThat(d.template()).isEmpty();
    assertThat(d.status().getFailedRevision()).isEqualTo(V1);
    assertThat(RollingUpdateRollout.notRolledBackMessage(d.status()))
        .contains("not rolled back: no earlier revision was fully available");
    assertThat(RollingUpdateRollout.notRolledBackMessage(availableStatus(V1))).isEmpty();
  }

  @Test
  void afterTheRollbackTheDeploymentsOwnTemplateIsKeptWithoutReadingAgain() {
    RollingUpdateStatus back = rolledBack();
    // As the API server returns it: with defaults filled in.
    PodTemplateSpec served =
        new PodTemplateSpecBuilder(template(V1))
            .editSpec()
            .withDnsPolicy("ClusterFirst")
            .endSpec()
            .build();
    Observed runningV1 = new Observed(V1, "img-" + V1, served, true, true, false);

    Decision d = RollingUpdateRollout.decide(input(V2, true, back, runningV1));

    assertThat(d.lookupDue()).isEmpty();
    assertThat(d.template()).contains(served);
    assertThat(d.status()).isEqualTo(back);
    assertThat(d.announcements()).as("announced once").isEmpty();
  }

  @Test
  void aDeploymentShowingAnotherTemplateWhileRolledBackIsGivenTheOldOneAgain() {
    RollingUpdateStatus back = rolledBack();
    Input in = input(V2, true, back, rollingOut(V2));

    assertThat(RollingUpdateRollout.decide(in).lookupDue()).contains(V1);
    Decision found = RollingUpdateRollout.decide(in.withLookup(new Lookup(V1, template(V1))));
    assertThat(found.template()).contains(template(V1));
    assertThat(found.status()).isEqualTo(back);
    Decision gone = RollingUpdateRollout.decide(in.withLookup(new Lookup(V1, null)));
    assertThat(gone.template()).isEmpty();
    assertThat(gone.status().getFailedRevision()).isEqualTo(V2);
    assertThat(gone.status().getRolledBackAt()).isNull();
  }

  @Test
  void aNewSpecTemplateStartsANormalRollingUpdate() {
    Decision d = RollingUpdateRollout.decide(input(V3, true, rolledBack(), available(V1)));

    assertThat(d.template()).isEmpty();
    assertThat(d.status()).isEqualTo(availableStatus(V1));
    // The new revision rolls out, becomes available and is remembered.
    Decision done = RollingUpdateRollout.decide(input(V3, true, d.status(), available(V3)));
    assertThat(done.status()).isEqualTo(availableStatus(V3));
  }

  @Test
  void retryAppliesTheFailedTemplateOnceMore() {
    Decision d = RollingUpdateRollout.decide(retry(input(V2, true, rolledBack(), available(V1))));

    assertThat(d.retryConsumed()).isTrue();
    assertThat(d.template()).as("the spec's template").isEmpty();
    assertThat(d.status()).isEqualTo(availableStatus(V1));
    assertThat(d.announcements())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.warning()).isFalse();
              assertThat(a.reason()).isEqualTo(Reason.RolloutRetried);
              assertThat(a.message()).isEqualTo("retrying revision bbbbbbbbbb (img-bbbbbbbbbb)");
            });
    // Stuck again: rolled back again.
    Input again = input(V2, true, d.status(), stuck(V2));
    assertThat(RollingUpdateRollout.decide(again).lookupDue()).contains(V1);
  }

  @Test
  void retryWithNothingRolledBackIsConsumedAndDoesNothing() {
    Decision d = RollingUpdateRollout.decide(retry(input(V1, true, null, available(V1))));

    assertThat(d.retryConsumed()).isTrue();
    assertThat(d.announcements()).isEmpty();
    assertThat(d.template()).isEmpty();
    assertThat(RollingUpdateRollout.decide(input(V1, true, null, available(V1))).retryConsumed())
        .isFalse();
  }

  @Test
  void aFailedRevisionThatBecomesAvailableAfterAllIsNoLongerFailed() {
    Input in = input(V2, true, availableStatus(V1), stuck(V2));
    RollingUpdateStatus notBack =
        RollingUpdateRollout.decide(in.withLookup(new Lookup(V1, null))).status();

    Decision d = RollingUpdateRollout.decide(input(V2, true, notBack, available(V2)));

    assertThat(d.status()).isEqualTo(availableStatus(V2));
  }
}
