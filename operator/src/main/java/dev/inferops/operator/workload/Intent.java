package dev.inferops.operator.workload;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.StrategyType;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;

/**
 * What an InferenceService asks to run: its workload kind, its rollout strategy, and the pod
 * template with its hash and the revision that hash names. Computed once per reconcile.
 */
public record Intent(
    WorkloadKind kind,
    StrategyType strategy,
    PodTemplateSpec template,
    String templateHash,
    String revision) {

  /** The intent of the spec; {@code modelHash} as for {@link PodTemplates#desired}. */
  public static Intent of(InferenceService is, String modelHash) {
    WorkloadKind kind = EffectiveSpec.workload(is);
    PodTemplateSpec template = PodTemplates.desired(is, kind, modelHash);
    String hash = PodStates.templateHash(template.getMetadata());
    return new Intent(kind, EffectiveSpec.strategy(is), template, hash, Revisions.revision(hash));
  }

  /** A copy of the template each time, as an object built from it may change its own. */
  @Override
  public PodTemplateSpec template() {
    return new PodTemplateSpecBuilder(template).build();
  }
}
