package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.sundr.builder.annotations.Buildable;

/** How a blue-green rollout is verified and promoted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class BlueGreenSpec {

  @JsonPropertyDescription(
      "Whether the new version is promoted on its own once its pods are ready, listed by the"
          + " preview Service and the smoke test passed. false: it waits (phase Paused) for"
          + " `kubectl annotate infsvc <name> inferops.dev/promote=true`. Defaults to "
          + SpecDefaults.AUTO_PROMOTION_ENABLED
          + ".")
  @Default("" + SpecDefaults.AUTO_PROMOTION_ENABLED)
  private Boolean autoPromotionEnabled;

  @JsonPropertyDescription(
      "With auto-promotion: seconds to wait after every check passed before the switch."
          + " Defaults to "
          + SpecDefaults.AUTO_PROMOTION_SECONDS
          + ".")
  @Default("" + SpecDefaults.AUTO_PROMOTION_SECONDS)
  @Min(0)
  private Integer autoPromotionSeconds;

  @JsonPropertyDescription(
      "Seconds the old version keeps its pods after the switch, so every kube-proxy has moved"
          + " and a rollback is a selector switch; then it is scaled to 0. Defaults to "
          + SpecDefaults.SCALE_DOWN_DELAY_SECONDS
          + ".")
  @Default("" + SpecDefaults.SCALE_DOWN_DELAY_SECONDS)
  @Min(0)
  private Integer scaleDownDelaySeconds;

  @JsonPropertyDescription(
      "Pods the new version runs while it is checked (preview Service, smoke test), e.g. 1 to"
          + " save capacity; at promotion it scales to replicas and the Service switches once all"
          + " of them are ready, so all old and all new pods still exist at one moment. Unset:"
          + " replicas.")
  @Min(1)
  private Integer previewReplicaCount;

  @JsonPropertyDescription(
      "Sample predictions sent through the preview Service before promotion. Unset: enabled,"
          + " with the built-in example patient.")
  private SmokeTestSpec smokeTest;

  @JsonPropertyDescription(
      "A shadow phase before promotion: once the preview passed its smoke test, the live pods"
          + " copy a sample of the prediction requests they answer to it and compare the answers;"
          + " with minAgreement, promotion waits for enough comparisons and requires that share to"
          + " agree. Setting or removing this block changes the pod template (a rollout of its"
          + " own): the shadow runs from the rollout after, on the pods that have it. Unset: no"
          + " shadow.")
  private ShadowSpec shadow;

  public Boolean getAutoPromotionEnabled() {
    return autoPromotionEnabled;
  }

  public void setAutoPromotionEnabled(Boolean autoPromotionEnabled) {
    this.autoPromotionEnabled = autoPromotionEnabled;
  }

  public Integer getAutoPromotionSeconds() {
    return autoPromotionSeconds;
  }

  public void setAutoPromotionSeconds(Integer autoPromotionSeconds) {
    this.autoPromotionSeconds = autoPromotionSeconds;
  }

  public Integer getScaleDownDelaySeconds() {
    return scaleDownDelaySeconds;
  }

  public void setScaleDownDelaySeconds(Integer scaleDownDelaySeconds) {
    this.scaleDownDelaySeconds = scaleDownDelaySeconds;
  }

  public Integer getPreviewReplicaCount() {
    return previewReplicaCount;
  }

  public void setPreviewReplicaCount(Integer previewReplicaCount) {
    this.previewReplicaCount = previewReplicaCount;
  }

  public SmokeTestSpec getSmokeTest() {
    return smokeTest;
  }

  public void setSmokeTest(SmokeTestSpec smokeTest) {
    this.smokeTest = smokeTest;
  }

  public ShadowSpec getShadow() {
    return shadow;
  }

  public void setShadow(ShadowSpec shadow) {
    this.shadow = shadow;
  }
}
