package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import io.sundr.builder.annotations.Buildable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed, derived from the owned objects on every reconcile. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class InferenceServiceStatus {

  @JsonPropertyDescription("The metadata.generation this status was computed for.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pending, Progressing, Ready or Degraded.")
  @PrinterColumn(name = "Phase")
  private Phase phase;

  @JsonPropertyDescription("Number of pods of the current workload kind.")
  @StatusReplicas
  private Integer replicas;

  @JsonPropertyDescription("Number of those pods that are ready.")
  @PrinterColumn(name = "Ready")
  private Integer readyReplicas;

  @JsonPropertyDescription("Number of those pods that run the current pod template.")
  private Integer updatedReplicas;

  @JsonPropertyDescription("Number of those pods that are available.")
  private Integer availableReplicas;

  @JsonPropertyDescription(
      "Standard conditions Ready, Progressing and Degraded; lastTransitionTime changes only when"
          + " a condition's status does.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription(
      "For each image the pods run (of any workload kind), how many pods and how many are ready.")
  private List<ImageStatus> images = new ArrayList<>();

  @JsonPropertyDescription(
      "Label selector of the current workload's pods, used by the scale subresource.")
  @LabelSelector
  private String selector;

  @JsonPropertyDescription("In-cluster URL of the Service, when it is enabled.")
  private String url;

  @JsonPropertyDescription(
      "The model of spec.model the pods serve (once rolled out): its source and, when the"
          + " operator knows it, its digest. Unset for the app's built-in heart model.")
  private ModelStatus model;

  @JsonPropertyDescription(
      "Blue-green only: active and preview revision and image, the rollout's phase and the last"
          + " smoke test.")
  private RolloutStatus rollout;

  @JsonPropertyDescription(
      "Rolling Deployment only: the last revision that ran fully available and, with"
          + " strategy.autoRollback, the revision that failed and when it was rolled back.")
  private RollingUpdateStatus rollingUpdate;

  public ModelStatus getModel() {
    return model;
  }

  public void setModel(ModelStatus model) {
    this.model = model;
  }

  public RollingUpdateStatus getRollingUpdate() {
    return rollingUpdate;
  }

  public void setRollingUpdate(RollingUpdateStatus rollingUpdate) {
    this.rollingUpdate = rollingUpdate;
  }

  public RolloutStatus getRollout() {
    return rollout;
  }

  public void setRollout(RolloutStatus rollout) {
    this.rollout = rollout;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getUpdatedReplicas() {
    return updatedReplicas;
  }

  public void setUpdatedReplicas(Integer updatedReplicas) {
    this.updatedReplicas = updatedReplicas;
  }

  public Integer getAvailableReplicas() {
    return availableReplicas;
  }

  public void setAvailableReplicas(Integer availableReplicas) {
    this.availableReplicas = availableReplicas;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : conditions;
  }

  public List<ImageStatus> getImages() {
    return images;
  }

  public void setImages(List<ImageStatus> images) {
    this.images = images == null ? new ArrayList<>() : images;
  }

  public String getSelector() {
    return selector;
  }

  public void setSelector(String selector) {
    this.selector = selector;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InferenceServiceStatus that
        && Objects.equals(observedGeneration, that.observedGeneration)
        && phase == that.phase
        && Objects.equals(replicas, that.replicas)
        && Objects.equals(readyReplicas, that.readyReplicas)
        && Objects.equals(updatedReplicas, that.updatedReplicas)
        && Objects.equals(availableReplicas, that.availableReplicas)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(images, that.images)
        && Objects.equals(selector, that.selector)
        && Objects.equals(url, that.url)
        && Objects.equals(model, that.model)
        && Objects.equals(rollout, that.rollout)
        && Objects.equals(rollingUpdate, that.rollingUpdate);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        observedGeneration,
        phase,
        replicas,
        readyReplicas,
        updatedReplicas,
        availableReplicas,
        conditions,
        images,
        selector,
        url,
        model,
        rollout,
        rollingUpdate);
  }
}
