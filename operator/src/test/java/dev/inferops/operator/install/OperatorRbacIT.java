package dev.inferops.operator.install;

import static dev.inferops.operator.install.ChartRenderer.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.inferops.operator.InferenceOperator;
import dev.inferops.operator.testsupport.OperatorExtension;
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
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

  @RegisterExtension
  static final OperatorExtension cluster =
      OperatorExtension.withoutLocalOperator().namespacePerClass().build();

  private static KubernetesClient asOperator;
  private static InferenceOperator operator;
  private static List<HasMetadata> rbac;

  @BeforeAll
  static void installRbacAndStartOperator() {
    // Cluster-scoped names carry the namespace's suffix so they never clash with an install.
    rbac =
        ChartRenderer.parse(
                ChartRenderer.template(
                    cluster.namespace(), values("fullnameOverride", cluster.namespace())))
            .stream()
            .filter(o -> RBAC_KINDS.contains(o.getKind()))
            .toList();
    assertThat(rbac).extracting(HasMetadata::getKind).containsAll(RBAC_KINDS);
    rbac.forEach(cluster::apply);

    ServiceAccount account = ChartRenderer.single(rbac, ServiceAccount.class);
    Config config = Config.autoConfigure(null);
    config.setImpersonateUsername(
        "system:serviceaccount:" + cluster.namespace() + ":" + account.getMetadata().getName());
    // The groups a real token of that ServiceAccount carries.
    config.setImpersonateGroups(
        "system:serviceaccounts",
        "system:serviceaccounts:" + cluster.namespace(),
        "system:authenticated");
    asOperator = cluster.closeWhenDone(new KubernetesClientBuilder().withConfig(config).build());

    // Bound cluster-wide like an install; watching only this test's namespace keeps it away from
    // other tests' InferenceServices.
    operator =
        cluster.startOperator(
            asOperator,
            cluster
                .operatorSettings()
                .withLeaderElection(cluster.namespace(), IDENTITY)
                .withExitOnLeadershipLoss(false));
  }

  @AfterAll
  static void removeClusterScopedRbac() {
    // The operator impersonating the account stops with the namespace, after this.
    for (HasMetadata object : rbac == null ? List.<HasMetadata>of() : rbac) {
      if (object instanceof ClusterRole || object instanceof ClusterRoleBinding) {
        cluster.client().resource(object).delete();
      }
    }
  }

  @Test
  void operatorWithOnlyItsOwnPermissionsReconcilesAnInferenceService() {
    ChartRenderer.inferenceService(cluster.namespace(), "heart", "Deployment", 2)
        .forEach(cluster::apply);

    await()
        .atMost(Duration.ofSeconds(90))
        .untilAsserted(
            () -> {
              Lease lease = cluster.client().leases().withName("inference-operator").get();
              assertThat(lease).as("the leader election Lease").isNotNull();
              assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(IDENTITY);

              Deployment deployment = cluster.client().apps().deployments().withName("heart").get();
              assertThat(deployment).as("the Deployment").isNotNull();
              assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
              assertThat(cluster.client().services().withName("heart").get())
                  .as("the Service")
                  .isNotNull();
              assertThat(cluster.client().configMaps().withName("heart-config").get())
                  .as("the settings ConfigMap")
                  .isNotNull();
              cluster.assertConverged("heart", 2);
              // Recording Events is part of the job, and needs its own permission.
              assertThat(cluster.client().v1().events().list().getItems())
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
    assertForbidden(() -> asOperator.secrets().inNamespace(cluster.namespace()).list());
    assertForbidden(() -> asOperator.secrets().inAnyNamespace().list());
    assertForbidden(() -> asOperator.secrets().inNamespace("kube-system").withName("any").get());
  }

  @Test
  void operatorIdentityCannotCreateRoleBindings() {
    RoleBinding binding =
        new RoleBindingBuilder()
            .withNewMetadata()
            .withName("escalate")
            .withNamespace(cluster.namespace())
            .endMetadata()
            .withNewRoleRef()
            .withApiGroup("rbac.authorization.k8s.io")
            .withKind("ClusterRole")
            .withName("cluster-admin")
            .endRoleRef()
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName("default")
            .withNamespace(cluster.namespace())
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
