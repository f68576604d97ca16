package dev.inferops.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PrinterColumn;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.sundr.builder.annotations.Buildable;
import java.util.List;
import java.util.Map;

/** What the user asks for: the image, how many replicas and in which kind of workload. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.strategy) || !has(self.workload) || self.workload == 'Deployment'",
    message = "strategy is only allowed with workload Deployment",
    fieldPath = ".strategy")
@Buildable(
    editableEnabled = false,
    generateBuilderPackage = false,
    builderPackage = "io.fabric8.kubernetes.api.builder")
public class InferenceServiceSpec {

  @JsonPropertyDescription(
      "Container image of the inference app, e.g. inferops/inference-app:0.1.0.")
  @Required
  @Pattern("^\\S+$")
  @PrinterColumn(name = "Image")
  private String image;

  @JsonPropertyDescription(
      "Image pull policy: Always, IfNotPresent or Never. Unset: Kubernetes' default.")
  private ImagePullPolicy imagePullPolicy;

  @JsonPropertyDescription(
      "Number of pods. Defaults to "
          + SpecDefaults.REPLICAS
          + ". Also settable through the scale subresource (kubectl"
          + " scale, HorizontalPodAutoscaler).")
  @SpecReplicas
  @Default("" + SpecDefaults.REPLICAS)
  @Min(0)
  @PrinterColumn(name = "Desired")
  private Integer replicas;

  @JsonPropertyDescription(
      "Kind of workload that runs the pods: Pod (bare pods <name>-<n>), ReplicaSet or Deployment"
          + " (default). Changing it brings the new kind up before the old one is removed.")
  @Default(SpecDefaults.WORKLOAD)
  @PrinterColumn(name = "Workload")
  private WorkloadKind workload;

  @JsonPropertyDescription(
      "Update strategy; only allowed with workload Deployment. Unset: RollingUpdate with"
          + " Kubernetes' defaults.")
  // One rule with a computed message: the annotation processor cannot handle two on a field.
  @ValidationRule(
      value =
          "!(has(self.autoRollback) && self.autoRollback && has(self.type)"
              + " && self.type != 'RollingUpdate')"
              + " && (!has(self.blueGreen) || (has(self.type) && self.type == 'BlueGreen'))"
              + " && (!has(self.canary) || (has(self.type) && self.type == 'Canary'))",
      messageExpression =
          "has(self.autoRollback) && self.autoRollback && has(self.type)"
              + " && self.type != 'RollingUpdate'"
              + " ? 'autoRollback applies to type RollingUpdate only; a blue-green or canary"
              + " rollout that fails leaves the active version as it is'"
              + " : has(self.blueGreen) && !(has(self.type) && self.type == 'BlueGreen')"
              + " ? 'blueGreen applies to type BlueGreen only: remove it, or set type BlueGreen'"
              + " : 'canary applies to type Canary only: remove it, or set type Canary'")
  private DeploymentStrategySpec strategy;

  @JsonPropertyDescription(
      "Port the app listens on (env PORT). Defaults to " + SpecDefaults.PORT + ".")
  @Default("" + SpecDefaults.PORT)
  @Min(1)
  @Max(65535)
  private Integer port;

  @JsonPropertyDescription(
      "Compute resources of the app container. Unset: requests cpu 100m and memory 128Mi, limits"
          + " cpu 500m and memory 256Mi.")
  private ResourceRequirements resources;

  @JsonPropertyDescription(
      "Readiness and liveness probes. Unset: GET /ready and GET /health on spec.port.")
  private ProbesSpec probes;

  @JsonPropertyDescription(
      "App lifecycle settings passed as START_DELAY_SECONDS, CRASH_AFTER_SECONDS and CRASH_MODE.")
  private AppSpec app;

  @JsonPropertyDescription(
      "Optional model file, from exactly one of a ConfigMap (configMapName, key), a"
          + " PersistentVolumeClaim (pvc) or a URL (url); mounted read-only, its path passed as"
          + " MODEL_PATH. A file ending in .onnx is served through ONNX Runtime, any other as a"
          + " heart model JSON. Unset: the app's built-in heart model.")
  private ModelSpec model;

  @JsonPropertyDescription(
      "The Service in front of the pods. Unset: a "
          + SpecDefaults.SERVICE_TYPE
          + " Service on port "
          + SpecDefaults.SERVICE_PORT
          + ".")
  private ServiceExposureSpec service;

  @JsonPropertyDescription("Extra environment variables of the app container.")
  private List<EnvVar> env;

  @JsonPropertyDescription(
      "Node labels the pods must run on (the pod spec's nodeSelector), e.g. a GPU or real-node"
          + " label.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "Tolerations of the pods (as in a pod spec), to let them run on tainted nodes.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Affinity of the pods (as in a pod spec): node affinity, pod affinity and anti-affinity.")
  private Affinity affinity;

  @JsonPropertyDescription(
      "The PodDisruptionBudget <name>, kept while replicas > 1. Unset: enabled, maxUnavailable "
          + SpecDefaults.DISRUPTION_BUDGET_MAX_UNAVAILABLE
          + ".")
  private DisruptionBudgetSpec disruptionBudget;

  @JsonPropertyDescription(
      "Topology spread constraints of the pods (as in a pod spec). Unset: soft spreading"
          + " (ScheduleAnyway) over kubernetes.io/hostname and topology.kubernetes.io/zone, which"
          + " only counts on nodes with that label. An empty list turns spreading off.")
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  public DisruptionBudgetSpec getDisruptionBudget() {
    return disruptionBudget;
  }

  public void setDisruptionBudget(DisruptionBudgetSpec disruptionBudget) {
    this.disruptionBudget = disruptionBudget;
  }

  public List<TopologySpreadConstraint> getTopologySpreadConstraints() {
    return topologySpreadConstraints;
  }

  public void setTopologySpreadConstraints(List<TopologySpreadConstraint> constraints) {
    this.topologySpreadConstraints = constraints;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ImagePullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(ImagePullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public WorkloadKind getWorkload() {
    return workload;
  }

  public void setWorkload(WorkloadKind workload) {
    this.workload = workload;
  }

  public DeploymentStrategySpec getStrategy() {
    return strategy;
  }

  public void setStrategy(DeploymentStrategySpec strategy) {
    this.strategy = strategy;
  }

  public Integer getPort() {
    return port;
  }

  public void setPort(Integer port) {
    this.port = port;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public ProbesSpec getProbes() {
    return probes;
  }

  public void setProbes(ProbesSpec probes) {
    this.probes = probes;
  }

  public AppSpec getApp() {
    return app;
  }

  public void setApp(AppSpec app) {
    this.app = app;
  }

  public ModelSpec getModel() {
    return model;
  }

  public void setModel(ModelSpec model) {
    this.model = model;
  }

  public ServiceExposureSpec getService() {
    return service;
  }

  public void setService(ServiceExposureSpec service) {
    this.service = service;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }
}
