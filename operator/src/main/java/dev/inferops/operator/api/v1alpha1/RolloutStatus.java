package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/**
 * Where a blue-green or canary rollout stands; the state the operator resumes from. For a canary,
 * active is the stable version and preview the canary.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class RolloutStatus {

  @JsonPropertyDescription(
      "Progressing, Paused (awaiting promotion), Promoting (switched, old version still scaled), Healthy or Degraded.")
  private RolloutPhase phase;

  @JsonPropertyDescription(
      "Why the rollout is in its phase, e.g. WaitingForPreviewPods, AwaitingPromotion, SmokeTestFailed, ProgressDeadlineExceeded, RolledBack.")
  private String reason;

  @JsonPropertyDescription("Human-readable detail of the reason.")
  private String message;

  @JsonPropertyDescription("Revision (pod-template hash) the Service <name> selects.")
  @PrinterColumn(name = "Active")
  private String activeRevision;

  @JsonPropertyDescription("Image of the active revision.")
  private String activeImage;

  @JsonPropertyDescription(
      "Revision under test, selected by the Service <name>-preview; unset when none.")
  @PrinterColumn(name = "Preview")
  private String previewRevision;

  @JsonPropertyDescription("Image of the preview revision.")
  private String previewImage;

  @JsonPropertyDescription("Revision active before the last switch: the target of a rollback.")
  private String previousRevision;

  @JsonPropertyDescription(
      "Revision whose attempt was aborted or rolled back; it is not tried again until the spec changes or the retry command.")
  private String abortedRevision;

  @JsonPropertyDescription("Revision a requested rollback is bringing back.")
  private String rollbackRevision;

  @JsonPropertyDescription(
      "When the current attempt started (RFC 3339); progressDeadlineSeconds counts from here.")
  private String attemptStartedAt;

  @JsonPropertyDescription("When the preview passed every check (RFC 3339).")
  private String verifiedAt;

  @JsonPropertyDescription(
      "When the active Service last switched (RFC 3339); scaleDownDelaySeconds counts from here.")
  private String switchedAt;

  @JsonPropertyDescription(
      "When the checked preview was promoted (RFC 3339): it scales up to replicas (see"
          + " previewReplicaCount) and the Service switches once all are ready;"
          + " progressDeadlineSeconds counts from here.")
  private String promotionStartedAt;

  @JsonPropertyDescription("Result and time of the last smoke test.")
  private SmokeTestResult smokeTest;

  @JsonPropertyDescription("Canary only: the step, the weight asked and reached, the analyses.")
  private CanaryStatus canary;

  @JsonPropertyDescription(
      "Blue-green with a shadow: how the preview's answers to copies of live requests compared"
          + " with the live answers; kept after the rollout ends, until the next preview.")
  private ShadowStatus shadow;

  public CanaryStatus getCanary() {
    return canary;
  }

  public void setCanary(CanaryStatus canary) {
    this.canary = canary;
  }

  public String getPromotionStartedAt() {
    return promotionStartedAt;
  }

  public void setPromotionStartedAt(String promotionStartedAt) {
    this.promotionStartedAt = promotionStartedAt;
  }

  public RolloutPhase getPhase() {
    return phase;
  }

  public void setPhase(RolloutPhase phase) {
    this.phase = phase;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getActiveRevision() {
    return activeRevision;
  }

  public void setActiveRevision(String activeRevision) {
    this.activeRevision = activeRevision;
  }

  public String getActiveImage() {
    return activeImage;
  }

  public void setActiveImage(String activeImage) {
    this.activeImage = activeImage;
  }

  public String getPreviewRevision() {
    return previewRevision;
  }

  public void setPreviewRevision(String previewRevision) {
    this.previewRevision = previewRevision;
  }

  public String getPreviewImage() {
    return previewImage;
  }

  public void setPreviewImage(String previewImage) {
    this.previewImage = previewImage;
  }

  public String getPreviousRevision() {
    return previousRevision;
  }

  public void setPreviousRevision(String previousRevision) {
    this.previousRevision = previousRevision;
  }

  public String getAbortedRevision() {
    return abortedRevision;
  }

  public void setAbortedRevision(String abortedRevision) {
    this.abortedRevision = abortedRevision;
  }

  public String getRollbackRevision() {
    return rollbackRevision;
  }

  public void setRollbackRevision(String rollbackRevision) {
    this.rollbackRevision = rollbackRevision;
  }

  public String getAttemptStartedAt() {
    return attemptStartedAt;
  }

  public void setAttemptStartedAt(String attemptStartedAt) {
    this.attemptStartedAt = attemptStartedAt;
  }

  public String getVerifiedAt() {
    return verifiedAt;
  }

  public void setVerifiedAt(String verifiedAt) {
    this.verifiedAt = verifiedAt;
  }

  public String getSwitchedAt() {
    return switchedAt;
  }

  public void setSwitchedAt(String switchedAt) {
    this.switchedAt = switchedAt;
  }

  public ShadowStatus getShadow() {
    return shadow;
  }

  public void setShadow(ShadowStatus shadow) {
    this.shadow = shadow;
  }

  public SmokeTestResult getSmokeTest() {
    return smokeTest;
  }

  public void setSmokeTest(SmokeTestResult smokeTest) {
    this.smokeTest = smokeTest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolloutStatus that
        && Objects.equals(phase, that.phase)
        && Objects.equals(reason, that.reason)
        && Objects.equals(message, that.message)
        && Objects.equals(activeRevision, that.activeRevision)
        && Objects.equals(activeImage, that.activeImage)
        && Objects.equals(previewRevision, that.previewRevision)
        && Objects.equals(previewImage, that.previewImage)
        && Objects.equals(previousRevision, that.previousRevision)
        && Objects.equals(abortedRevision, that.abortedRevision)
        && Objects.equals(rollbackRevision, that.rollbackRevision)
        && Objects.equals(attemptStartedAt, that.attemptStartedAt)
        && Objects.equals(verifiedAt, that.verifiedAt)
        && Objects.equals(switchedAt, that.switchedAt)
        && Objects.equals(promotionStartedAt, that.promotionStartedAt)
        && Objects.equals(smokeTest, that.smokeTest)
        && Objects.equals(canary, that.canary)
        && Objects.equals(shadow, that.shadow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        reason,
        message,
        activeRevision,
        activeImage,
        previewRevision,
        previewImage,
        previousRevision,
        abortedRevision,
        rollbackRevision,
        attemptStartedAt,
        verifiedAt,
        switchedAt,
        promotionStartedAt,
        smokeTest,
        canary,
        shadow);
  }
}
