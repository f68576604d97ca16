package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.sundr.builder.annotations.Buildable;
import java.util.Objects;

/**
 * What a rolling Deployment last ran fully available and its last automatic rollback; the state the
 * operator resumes from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class RollingUpdateStatus {

  @JsonPropertyDescription(
      "Revision (the first 10 digits of the pod-template hash) the Deployment last ran fully"
          + " available: every pod on the spec's template and available. An automatic rollback"
          + " goes back to it.")
  private String availableRevision;

  @JsonPropertyDescription("Image of the available revision.")
  private String availableImage;

  @JsonPropertyDescription(
      "With autoRollback: the spec's revision whose rollout exceeded progressDeadlineSeconds. Unset"
          + " again once the spec's pod template changes, after the annotation inferops.dev/retry,"
          + " or when that revision becomes available after all.")
  private String failedRevision;

  @JsonPropertyDescription("Image of the failed revision.")
  private String failedImage;

  @JsonPropertyDescription(
      "Why the failed revision's pods did not become ready, as its pods said at the deadline (e.g."
          + " an image pull, a crash loop, Unschedulable).")
  private String failureMessage;

  @JsonPropertyDescription(
      "When the Deployment's template was put back to the available revision (RFC 3339); unset"
          + " while failedRevision could not be rolled back (no earlier revision was available, or"
          + " the Deployment has no ReplicaSet of it left).")
  private String rolledBackAt;

  public String getAvailableRevision() {
    return availableRevision;
  }

  public void setAvailableRevision(String availableRevision) {
    this.availableRevision = availableRevision;
  }

  public String getAvailableImage() {
    return availableImage;
  }

  public void setAvailableImage(String availableImage) {
    this.availableImage = availableImage;
  }

  public String getFailedRevision() {
    return failedRevision;
  }

  public void setFailedRevision(String failedRevision) {
    this.failedRevision = failedRevision;
  }

  public String getFailedImage() {
    return failedImage;
  }

  public void setFailedImage(String failedImage) {
    this.failedImage = failedImage;
  }

  public String getFailureMessage() {
    return failureMessage;
  }

  public void setFailureMessage(String failureMessage) {
    this.failureMessage = failureMessage;
  }

  public String getRolledBackAt() {
    return rolledBackAt;
  }

  public void setRolledBackAt(String rolledBackAt) {
    this.rolledBackAt = rolledBackAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RollingUpdateStatus that
        && Objects.equals(availableRevision, that.availableRevision)
        && Objects.equals(availableImage, that.availableImage)
        && Objects.equals(failedRevision, that.failedRevision)
        && Objects.equals(failedImage, that.failedImage)
        && Objects.equals(failureMessage, that.failureMessage)
        && Objects.equals(rolledBackAt, that.rolledBackAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        availableRevision,
        availableImage,
        failedRevision,
        failedImage,
        failureMessage,
        rolledBackAt);
  }
}
