package dev.inferops.operator.dependent;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.events.EventRecorder;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.Plan;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.Runner;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * The ReplicaSet {@code <name>} of workload ReplicaSet. As in Kubernetes, a template change does
 * not touch running pods; only pods added later run the new template.
 */
// The selector leaves out the ReplicaSets a Deployment creates: they carry workload=Deployment.
@KubernetesDependent(
    informer =
        @Informer(
            labelSelector =
                ResourceNaming.MANAGED_SELECTOR
                    + ","
                    + ResourceNaming.LABEL_WORKLOAD
                    + "=ReplicaSet"))
public class ReplicaSetDependentResource extends WorkloadDependentResource<ReplicaSet> {

  /** Name of this dependent in the workflow. */
  public static final String NAME = "replicaset";

  public ReplicaSetDependentResource(EventRecorder events) {
    super(ReplicaSet.class, Runner.REPLICA_SET, events);
  }

  @Override
  protected ReplicaSet desired(InferenceService primary, Context<InferenceService> context) {
    return build(primary, Plan.of(context).intent().template());
  }

  /** The desired ReplicaSet running {@code template}, the spec's pod template. */
  public static ReplicaSet build(InferenceService is, PodTemplateSpec template) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(ResourceNaming.workloadName(is))
        .withNamespace(ResourceNaming.namespace(is))
        .withLabels(ResourceNaming.podLabels(is, WorkloadKind.ReplicaSet))
        .endMetadata()
        .withNewSpec()
        .withReplicas(EffectiveSpec.replicas(is))
        .withNewSelector()
        .withMatchLabels(ResourceNaming.workloadSelector(is, WorkloadKind.ReplicaSet))
        .endSelector()
        .withTemplate(template)
        .endSpec()
        .build();
  }

  /** Reconcile precondition: keep the ReplicaSet while wanted or while a switch needs it. */
  public static class KeepReplicaSet extends KeepCondition<ReplicaSet> {
    public KeepReplicaSet() {
      super(Runner.REPLICA_SET);
    }
  }
}
