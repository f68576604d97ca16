package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.OperatorSettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator runs with nothing but the chart's RBAC: its ServiceAccount, ClusterRole and bindings
 * are applied from the chart, and the operator runs in-process with a client that impersonates that
 * ServiceAccount. It reconciles an InferenceService end to end and elects a leader; the same
 * identity may not read Secrets or create RoleBindings.
 */
class OperatorRbacIT {

  private static final Set<String> RBAC_KINDS =
      Set.of("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
  private static final String IDENTITY = "rbac-it-operator";

  private static KubernetesClient admin;
  private static KubernetesClient asOperator;
  private static InferenceOperator operator;
  private static String namespace;
  private static List<HasMetadata> rbac;

  @BeforeAll
  static void installRbacAndStartOperator() {
    admin = TestCluster.adminClient();
    TestCluster.applyCrd(admin);
    namespace = TestCluster.createNamespace(admin, "install-rbac", Map.of());
    // Cluster-scoped names carry the namespace's suffix so they never clash with an install.
    rbac =
        ChartRenderer.parse(
                ChartRenderer.template(namespace, values("fullnameOverride", namespace)))
            .stream()
            .filter(o -> RBAC_KINDS.contains(o.getKind()))
            .toList();
    assertThat(rbac).extracting(HasMetadata::getKind).containsAll(RBAC_KINDS);
    rbac.forEach(o -> TestCluster.apply(admin, o));

    ServiceAccount account = ChartRenderer.single(rbac, ServiceAccount.class);
    Config config = Config.autoConfigure(null);
    config.setImpersonateUsername(
        "system:serviceaccount:" + namespace + ":" + account.getMetadata().getName());
    // The groups a real token of that ServiceAccount carries.
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    asOperator = new KubernetesClientBuilder().withConfig(config).build();

    operator =
        InferenceOperator.start(
            asOperator,
            OperatorSettings.defaults()
                // Bound cluster-wide like an install; watching only this test's namespace keeps
                // it away from other tests' InferenceServices.
                .withWatchNamespaces(Set.of(namespace))
                .withHttp("127.0.0.1", 0)
                .withLeaderElection(namespace, IDENTITY)
                .withExitOnLeadershipLoss(false));
  }

  @AfterAll
  static void tearDown() {
    if (operator != null) {
      operator.close();
    }
    if (asOperator != null) {
      asOperator.close();
    }
    if (admin != null) {
      for (HasMetadata object : rbac == null ? List.<HasMetadata>of() : rbac) {
        if (object instanceof ClusterRole || object instanceof ClusterRoleBinding) {
          admin.resource(object).delete();
        }
      }
      TestCluster.deleteNamespace(admin, namespace);
      admin.close();
    }
  }

  @Test
  void operatorWithOnlyItsOwnPermissionsReconcilesAnInferenceService() {
    InferenceServices.apply(admin, namespace, "heart", "Deployment", 2);

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Lease lease =
                  admin.leases().inNamespace(namespace).withName("inference-operator").get();
              assertThat(lease).as("the leader election Lease").isNotNull();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(IDENTITY);

              Deployment deployment =
                  admin.apps().deployments().inNamespace(namespace).withName("heart").get();
              assertThat(deployment).as("the Deployment").isNotNull();
              assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
              assertThat(admin.services().inNamespace(namespace).withName("heart").get())
                  .as("the Service")
                  .isNotNull();
              assertThat(admin.configMaps().inNamespace(namespace).withName("heart-config").get())
                  .as("the settings ConfigMap")
                  .isNotNull();
              assertThat(InferenceServices.converged(admin, namespace, "heart", 2))
                  .as(
                      "InferenceService Ready: %s",
                      InferenceServices.describeStatus(admin, namespace, "heart"))
                  .isTrue();
              // Recording Events is part of the job, and needs its own permission.
              assertThat(admin.v1().events().inNamespace(namespace).list().getItems())
                  .as("Events on the InferenceService")
                  .anySatisfy(
                      e -> {
                        assertThat(e.getInvolvedObject().getKind()).isEqualTo("InferenceService");
                        assertThat(e.getInvolvedObject().getName()).isEqualTo("heart");
                      });
            });
    assertThat(operator.isLeader()).isTrue();
  }

  @Test
  void operatorIdentityCannotReadSecrets() {
    assertForbidden(() -> asOperator.secrets().inNamespace(namespace).list());
    assertForbidden(() -> asOperator.secrets().inAnyNamespace().list());
    assertForbidden(() -> asOperator.secrets().inNamespace("kube-system").withName("any").get());
  }

  @Test
  void operatorIdentityCannotCreateRoleBindings() {
    RoleBinding binding =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("escalate")
            .withNamespace(namespace)
            .endMetadata()
            .withNewRoleRef()
            .withApiGroup("rbac.authorization.k8s.io")
            .withKind("ClusterRole")
            .withName("cluster-admin")
            .endRoleRef()
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName("default")
            .withNamespace(namespace)
            .endSubject()
            .build();
    assertForbidden(() -> asOperator.rbac().roleBindings().resource(binding).create());
    assertForbidden(
        () ->
            asOperator
                .rbac()
                .roles()
                .resource(ChartRenderer.single(rbac, Role.class).toBuilder().build())
                .update());
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }
}
