package dev.inferops.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.inferops.operator.reconciler.InferenceServiceReconciler;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.api.Test;

class ForeignManagedFieldsStoreTest {

  @Test
  void theFieldManagerIsTheControllersName() {
    assertThat(ForeignManagedFieldsStore.FIELD_MANAGER).isEqualTo(InferenceServiceReconciler.NAME);
  }

  @Test
  void anOwnedObjectKeepsOnlyTheOperatorsEntryAForeignOneNone() {
    Deployment owned =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("heart")
            .withNamespace("ns")
            .addNewOwnerReference()
            .withKind("InferenceService")
            .withName("heart")
            .endOwnerReference()
            .withManagedFields(entry("inferenceservice"), entry("kube-controller-manager"))
            .endMetadata()
            .build();
    Pod foreign =
        new PodBuilder()
            .withNewMetadata()
            .withName("heart-abc")
            .withNamespace("ns")
            .addNewOwnerReference()
            .withKind("ReplicaSet")
            .withName("heart-5d")
            .endOwnerReference()
            .withManagedFields(entry("kube-controller-manager"), entry("kwok"))
            .endMetadata()
            .build();

    new ForeignManagedFieldsStore.Deployments().put("ns/heart", owned);
    new ForeignManagedFieldsStore.Pods().put("ns/heart-abc", foreign);

    assertThat(owned.getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager)
        .containsExactly("inferenceservice");
    assertThat(foreign.getMetadata().getManagedFields()).isNullOrEmpty();
  }

  private static ManagedFieldsEntry entry(String manager) {
    return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Apply").build();
  }
}
