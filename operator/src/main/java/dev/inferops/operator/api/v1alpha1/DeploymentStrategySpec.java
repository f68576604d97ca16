package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/** The update strategy of a Deployment workload. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// One rule with a computed message: the annotation processor cannot handle two on a class.
@ValidationRule(
    value =
        "has(self.type) && self.type != 'RollingUpdate'"
            + " ? !has(self.maxSurge) && !has(self.maxUnavailable)"
            + " : !(has(self.maxSurge) && has(self.maxUnavailable)"
            + " && string(self.maxSurge) in ['0', '0%'] && string(self.maxUnavailable) in ['0', '0%'])",
    messageExpression =
        "has(self.type) && self.type != 'RollingUpdate'"
            + " ? 'maxSurge and maxUnavailable apply to type RollingUpdate only'"
            + " : 'maxSurge and maxUnavailable must not both be 0'")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class DeploymentStrategySpec {

  @JsonPropertyDescription(
      "RollingUpdate (default) replaces pods step by step within maxSurge/maxUnavailable."
          + " BlueGreen runs each pod-template revision as its own Deployment <name>-<revision>:"
          + " the new one comes up next to the old, is checked through the Service"
          + " <name>-preview, and the Service <name> switches to it in one write. Canary runs the"
          + " stable and the new version as Deployments <name>-<revision> behind the one Service"
          + " and moves replicas to the new one in steps, each judged from the pods' own metrics;"
          + " a worse canary is aborted.")
  @Default(SpecDefaults.STRATEGY_TYPE)
  @PrinterColumn(name = "Strategy")
  private StrategyType type;

  @JsonPropertyDescription(
      "RollingUpdate only: how many pods may exist above replicas during an update, as a number"
          + " or a percentage such as 25%. Kubernetes' default (25%) when unset.")
  @ValidationRule(
      value = "type(self) == int ? self >= 0 : string(self).matches('^[0-9]+%$')",
      message = "must be a non-negative integer or a percentage such as 25%")
  private IntOrString maxSurge;

  @JsonPropertyDescription(
      "RollingUpdate only: how many of replicas may be unavailable during an update, as a number"
          + " or a percentage such as 25%. Kubernetes' default (25%) when unset. maxSurge and"
          + " maxUnavailable must not both be 0.")
  @ValidationRule(
      value = "type(self) == int ? self >= 0 : string(self).matches('^[0-9]+%$')",
      message = "must be a non-negative integer or a percentage such as 25%")
  private IntOrString maxUnavailable;

  @JsonPropertyDescription(
      "Seconds the new pods have to become ready (and, for BlueGreen, to pass every check) before"
          + " the rollout counts as failed: Degraded with reason ProgressDeadlineExceeded; a"
          + " blue-green attempt is aborted. Defaults to "
          + SpecDefaults.PROGRESS_DEADLINE_SECONDS
          + ".")
  @Default("" + SpecDefaults.PROGRESS_DEADLINE_SECONDS)
  @Min(1)
  private Integer progressDeadlineSeconds;

  @JsonPropertyDescription(
      "How many old revisions are kept (scaled to 0) for a rollback: the Deployment's"
          + " revisionHistoryLimit, and for BlueGreen the number of old revision Deployments."
          + " Defaults to "
          + SpecDefaults.REVISION_HISTORY_LIMIT
          + ".")
  @Default("" + SpecDefaults.REVISION_HISTORY_LIMIT)
  @Min(0)
  private Integer revisionHistoryLimit;

  @JsonPropertyDescription(
      "RollingUpdate only: when the rollout of a new pod template exceeds progressDeadlineSeconds,"
          + " put the Deployment's template back to the last revision that was fully available"
          + " (its ReplicaSet is scaled up again; nothing is reverted when there is none, as on"
          + " the first rollout). The phase is then Degraded with reason RolledBack until the"
          + " spec's pod template changes or the annotation inferops.dev/retry asks for one more"
          + " attempt. Only the pod template is reverted, not the settings or model ConfigMap:"
          + " the old pods mount their current content. Defaults to "
          + SpecDefaults.AUTO_ROLLBACK
          + ".")
  @Default("" + SpecDefaults.AUTO_ROLLBACK)
  private Boolean autoRollback;

  @JsonPropertyDescription("BlueGreen only: promotion and smoke-test settings.")
  private BlueGreenSpec blueGreen;

  @JsonPropertyDescription("Canary only: steps, analysis and smoke-test settings.")
  private CanarySpec canary;

  public CanarySpec getCanary() {
    return canary;
  }

  public void setCanary(CanarySpec canary) {
    this.canary = canary;
  }

  public Integer getProgressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    this.progressDeadlineSeconds = progressDeadlineSeconds;
  }

  public Integer getRevisionHistoryLimit() {
    return revisionHistoryLimit;
  }

  public void setRevisionHistoryLimit(Integer revisionHistoryLimit) {
    this.revisionHistoryLimit = revisionHistoryLimit;
  }

  public Boolean getAutoRollback() {
    return autoRollback;
  }

  public void setAutoRollback(Boolean autoRollback) {
    this.autoRollback = autoRollback;
  }

  public BlueGreenSpec getBlueGreen() {
    return blueGreen;
  }

  public void setBlueGreen(BlueGreenSpec blueGreen) {
    this.blueGreen = blueGreen;
  }

  public StrategyType getType() {
    return type;
  }

  public void setType(StrategyType type) {
    this.type = type;
  }

  public IntOrString getMaxSurge() {
    return maxSurge;
  }

  public void setMaxSurge(IntOrString maxSurge) {
    this.maxSurge = maxSurge;
  }

  public IntOrString getMaxUnavailable() {
    return maxUnavailable;
  }

  public void setMaxUnavailable(IntOrString maxUnavailable) {
    this.maxUnavailable = maxUnavailable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeploymentStrategySpec that
        && type == that.type
        && Objects.equals(maxSurge, that.maxSurge)
        && Objects.equals(maxUnavailable, that.maxUnavailable)
        && Objects.equals(progressDeadlineSeconds, that.progressDeadlineSeconds)
        && Objects.equals(revisionHistoryLimit, that.revisionHistoryLimit)
        && Objects.equals(autoRollback, that.autoRollback)
        && Objects.equals(blueGreen, that.blueGreen)
        && Objects.equals(canary, that.canary);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        type,
        maxSurge,
        maxUnavailable,
        progressDeadlineSeconds,
        revisionHistoryLimit,
        autoRollback,
        blueGreen,
        canary);
  }
}
