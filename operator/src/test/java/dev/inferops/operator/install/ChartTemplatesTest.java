package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.NAMESPACE;
import static dev.inferops.operator.install.ChartRenderer.ofKind;
import static dev.inferops.operator.install.ChartRenderer.single;
import static dev.inferops.operator.install.ChartRenderer.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.inferops.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the chart renders, object by object, for its default and its documented values. */
class ChartTemplatesTest {

  private final List<HasMetadata> defaults = ChartRenderer.objects(NAMESPACE, Map.of());

  @Test
  void chartPassesStrictHelmLint() {
    LintResult lint = new Helm(ChartRenderer.chartDir()).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void clusterRoleGrantsExactlyWhatTheOperatorNeeds() {
    ClusterRole role = single(defaults, ClusterRole.class);

    assertThat(grants(role.getRules()))
        .containsExactlyInAnyOrder(
            "inferops.dev/inferenceservices:get,list,patch,update,watch",
            "inferops.dev/inferenceservices/status:get,patch,update",
            "inferops.dev/inferenceservices/finalizers:update",
            "/pods:create,delete,get,list,patch,update,watch",
            "/services:create,delete,get,list,patch,update,watch",
            "/configmaps:create,delete,get,list,patch,update,watch",
            "apps/replicasets:create,delete,get,list,patch,update,watch",
            "apps/deployments:create,delete,get,list,patch,update,watch",
            "apps/controllerrevisions:create,delete,get,list,patch,update,watch",
            "policy/poddisruptionbudgets:create,delete,get,list,patch,update,watch",
            "discovery.k8s.io/endpointslices:get,list,watch",
            "/events:create,patch",
            "events.k8s.io/events:create,patch");
    assertThat(role.getRules())
        .allSatisfy(
            rule -> {
              assertThat(rule.getApiGroups()).doesNotContain("*");
              assertThat(rule.getResources()).doesNotContain("*");
              assertThat(rule.getVerbs()).doesNotContain("*");
              assertThat(rule.getResourceNames()).isNullOrEmpty();
              assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            });
  }

  @Test
  void leaderElectionLeasesAreGrantedInTheOperatorNamespaceOnly() {
    Role role = single(defaults, Role.class);
    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(grants(role.getRules()))
        .containsExactly("coordination.k8s.io/leases:create,get,list,patch,update,watch");

    RoleBinding binding = single(defaults, RoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(serviceAccountName());
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });

    assertThat(
            ChartRenderer.objects(NAMESPACE, values("leaderElection.enabled", "false")).stream()
                .filter(o -> o instanceof Role || o instanceof RoleBinding))
        .isEmpty();
  }

  @Test
  void withoutWatchedNamespacesTheRoleIsBoundClusterWide() {
    ClusterRoleBinding binding = single(defaults, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName())
        .isEqualTo(single(defaults, ClusterRole.class).getMetadata().getName());
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getName()).isEqualTo(serviceAccountName());
              assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
            });
    assertThat(env(operatorContainer(defaults))).containsEntry("WATCH_NAMESPACES", "");
  }

  @Test
  void watchedNamespacesGetTheRoleThroughRoleBindingsOnly() {
    List<HasMetadata> objects =
        ChartRenderer.objects(
            NAMESPACE, values("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"));

    assertThat(ofKind(objects, ClusterRoleBinding.class)).isEmpty();
    List<RoleBinding> bindings =
        ofKind(objects, RoleBinding.class).stream()
            .filter(b -> "ClusterRole".equals(b.getRoleRef().getKind()))
            .toList();
    assertThat(bindings)
        .extracting(b -> b.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(bindings)
        .allSatisfy(
            b ->
                assertThat(b.getSubjects().get(0).getNamespace())
                    .as("the ServiceAccount lives in the release namespace")
                    .isEqualTo(NAMESPACE));
    assertThat(env(operatorContainer(objects))).containsEntry("WATCH_NAMESPACES", "team-a,team-b");
  }

  @Test
  void operatorRunsTwoLeaderElectedReplicasWithHealthProbesAndMetrics() {
    Deployment deployment = single(defaults, Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = operatorContainer(defaults);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getServiceAccountName()).isEqualTo(serviceAccountName());
    assertThat(container.getImage()).isEqualTo(ChartRenderer.OPERATOR_IMAGE);
    assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/port", "8080")
        .containsEntry("prometheus.io/path", "/metrics");

    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");

    Map<String, String> env = env(container);
    assertThat(env)
        .containsEntry("LEADER_ELECTION_ENABLED", "true")
        .containsEntry("OPERATOR_HTTP_PORT", "8080")
        .containsEntry("LOG_LEVEL", "info")
        .as("the chart's defaults are the operator's")
        .containsEntry(
            "LEADER_ELECTION_LEASE_SECONDS",
            "" + OperatorSettings.DEFAULT_LEASE_DURATION.toSeconds())
        .containsEntry(
            "LEADER_ELECTION_RENEW_DEADLINE_SECONDS",
            "" + OperatorSettings.DEFAULT_RENEW_DEADLINE.toSeconds())
        .containsEntry(
            "RECONCILE_INTERVAL_SECONDS",
            "" + OperatorSettings.DEFAULT_RECONCILE_INTERVAL.toSeconds())
        .containsEntry(
            "RETRY_MAX_INTERVAL_SECONDS",
            "" + OperatorSettings.DEFAULT_RETRY_MAX_INTERVAL.toSeconds());
    assertThat(fieldRefs(container))
        .containsEntry("POD_NAME", "metadata.name")
        .containsEntry("POD_NAMESPACE", "metadata.namespace")
        .containsEntry("LEADER_ELECTION_NAMESPACE", "metadata.namespace");
  }

  @Test
  void operatorPodMeetsTheRestrictedPodSecurityStandard() {
    PodSpec pod = single(defaults, Deployment.class).getSpec().getTemplate().getSpec();
    Container container = operatorContainer(defaults);

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(container.getSecurityContext().getSeccompProfile().getType())
        .isEqualTo("RuntimeDefault");
    // The JVM needs a writable /tmp on a read-only root filesystem.
    assertThat(container.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("tmp");
              assertThat(v.getEmptyDir()).isNotNull();
            });
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
  }

  @Test
  void valuesSetImageReplicasResourcesAndLogLevel() {
    List<HasMetadata> objects =
        ChartRenderer.objects(
            NAMESPACE,
            values(
                "image.repository", "registry.example/inferops/op",
                "image.tag", "1.2.3",
                "image.pullPolicy", "Always",
                "replicaCount", "3",
                "logLevel", "debug",
                "resources.limits.memory", "1Gi",
                "metrics.port", "9090",
                "leaderElection.leaseDurationSeconds", "20",
                "leaderElection.renewDeadlineSeconds", "15",
                "reconcileIntervalSeconds", "300",
                "retryMaxIntervalSeconds", "60"));
    Deployment deployment = single(objects, Deployment.class);
    Container container = operatorContainer(objects);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(container.getImage()).isEqualTo("registry.example/inferops/op:1.2.3");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(9090);
    assertThat(env(container))
        .containsEntry("LOG_LEVEL", "debug")
        .containsEntry("OPERATOR_HTTP_PORT", "9090")
        .containsEntry("LEADER_ELECTION_LEASE_SECONDS", "20")
        .containsEntry("LEADER_ELECTION_RENEW_DEADLINE_SECONDS", "15")
        .containsEntry("RECONCILE_INTERVAL_SECONDS", "300")
        .containsEntry("RETRY_MAX_INTERVAL_SECONDS", "60");
  }

  @Test
  void schemaRejectsInvalidValues() {
    assertThatThrownBy(() -> ChartRenderer.template(NAMESPACE, values("logLevel", "loud")))
        .hasMessageContaining("logLevel");
    assertThatThrownBy(
            () ->
                ChartRenderer.template(
                    NAMESPACE,
                    values("inferenceService.enabled", "true", "inferenceService.workload", "Job")))
        .hasMessageContaining("workload");
  }

  @Test
  void namespaceIsCreatedOnlyOnRequestAndEnforcesRestrictedPodSecurity() {
    assertThat(ofKind(defaults, Namespace.class)).isEmpty();

    Namespace namespace =
        single(
            ChartRenderer.objects(NAMESPACE, values("namespace.create", "true")), Namespace.class);
    assertThat(namespace.getMetadata().getName()).isEqualTo(NAMESPACE);
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void chartInstallsTheGeneratedCrd() {
    CustomResourceDefinition crd = single(defaults, CustomResourceDefinition.class);
    assertThat(crd.getMetadata().getName()).isEqualTo("inferenceservices.inferops.dev");
  }

  @Test
  void inferenceServiceIsOffByDefault() {
    assertThat(ofKind(defaults, ConfigMap.class)).isEmpty();
    assertThat(defaults).noneMatch(o -> "InferenceService".equals(o.getKind()));
  }

  @Test
  void inferenceServiceOptionDeploysTheResourceWithItsModelConfigMap() throws Exception {
    List<HasMetadata> objects =
        ChartRenderer.objects(
            NAMESPACE,
            values(
                "inferenceService.enabled", "true",
                "inferenceService.name", "heart",
                "inferenceService.replicas", "3",
                "inferenceService.extraSpec.app.startDelaySeconds", "5"));

    ConfigMap model = single(objects, ConfigMap.class);
    assertThat(model.getMetadata().getName()).isEqualTo("heart-model");
    assertThat(model.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readTree(model.getData().get("model.json")))
        .isEqualTo(json.readTree(ChartRenderer.read(ChartRenderer.chartModel())));

    HasMetadata resource =
        objects.stream()
            .filter(o -> "InferenceService".equals(o.getKind()))
            .findFirst()
            .orElseThrow();
    assertThat(resource.getApiVersion()).isEqualTo("inferops.dev/v1alpha1");
    JsonNode spec = json.valueToTree(resource).get("spec");
    assertThat(spec.get("image").asText()).isEqualTo("inferops/inference-app:0.1.0");
    assertThat(spec.get("replicas").asInt()).isEqualTo(3);
    assertThat(spec.get("workload").asText()).isEqualTo("Deployment");
    assertThat(spec.get("strategy").get("type").asText()).isEqualTo("RollingUpdate");
    assertThat(spec.get("model").get("configMapName").asText()).isEqualTo("heart-model");
    assertThat(spec.get("model").get("key").asText()).isEqualTo("model.json");
    assertThat(spec.get("app").get("startDelaySeconds").asInt()).isEqualTo(5);
  }

  @Test
  void inferenceServiceModelCanBeGivenInline() {
    List<HasMetadata> objects =
        ChartRenderer.objects(
            NAMESPACE,
            values(
                "inferenceService.enabled", "true",
                "inferenceService.workload", "Pod",
                "inferenceService.model.json", "{\"name\": \"tiny\"}"));
    assertThat(single(objects, ConfigMap.class).getData())
        .containsEntry("model.json", "{\"name\": \"tiny\"}");
    GenericKubernetesResource resource =
        ofKind(objects, GenericKubernetesResource.class).stream()
            .filter(o -> "InferenceService".equals(o.getKind()))
            .findFirst()
            .orElseThrow();
    assertThat(resource.<String>get("spec", "workload")).isEqualTo("Pod");
    assertThat(resource.<Object>get("spec", "strategy"))
        .as("strategy applies to Deployments only")
        .isNull();
  }

  private String serviceAccountName() {
    ServiceAccount account = single(defaults, ServiceAccount.class);
    assertThat(account.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    return account.getMetadata().getName();
  }

  private static Container operatorContainer(List<HasMetadata> objects) {
    List<Container> containers =
        single(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static Map<String, String> fieldRefs(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getFieldRef() != null)
        .collect(
            Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
  }

  /** Each rule as "group/resource:sorted,verbs", one entry per resource. */
  private static List<String> grants(List<PolicyRule> rules) {
    return rules.stream()
        .flatMap(
            rule ->
                rule.getApiGroups().stream()
                    .flatMap(
                        group ->
                            rule.getResources().stream()
                                .map(
                                    resource ->
                                        group
                                            + "/"
                                            + resource
                                            + ":"
                                            + String.join(",", new TreeSet<>(rule.getVerbs())))))
        .toList();
  }
}
