package dev.inferops.operator.rollout.rolling;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.WorkloadKind;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Decision;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Input;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Lookup;
import dev.inferops.operator.rollout.rolling.RollingUpdateRollout.Observed;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.status.ConditionReason;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.PodStates;
import dev.inferops.operator.workload.Revisions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers what {@link RollingUpdateRollout} decides from (the Deployment and its pods in the
 * informer caches, the retry command) and reads the old template from the API when a rollback needs
 * it.
 */
public final class RollingUpdatePlanner {

  /** The label the Deployment controller adds to the templates of its ReplicaSets. */
  static final String POD_TEMPLATE_HASH_LABEL = "pod-template-hash";

  private static final Logger log = LoggerFactory.getLogger(RollingUpdatePlanner.class);

  private RollingUpdatePlanner() {}

  /** Decides, reading an old template if a rollback needs one. */
  static Decision plan(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    Optional<Deployment> deployment =
        deployment(is, context.getSecondaryResources(Deployment.class));
    Input input = input(is, intent, context, deployment, now);
    Decision decision = RollingUpdateRollout.decide(input);
    if (decision.lookupDue().isPresent()) {
      String revision = decision.lookupDue().get();
      // One read at the moment of a rollback, not an informer: ReplicaSets of every Deployment of
      // every InferenceService would be held in memory for a rare event.
      List<ReplicaSet> replicaSets =
          context
              .getClient()
              .apps()
              .replicaSets()
              .inNamespace(is.getMetadata().getNamespace())
              .withLabels(ResourceNaming.workloadSelector(is, WorkloadKind.Deployment))
              .list()
              .getItems();
      PodTemplateSpec template =
          deployment.flatMap(d -> templateOf(replicaSets, d, revision)).orElse(null);
      log.info(
          "{}/{}: {} of revision {} among {} ReplicaSets",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          template == null ? "no template" : "found the template",
          revision,
          replicaSets.size());
      decision = RollingUpdateRollout.decide(input.withLookup(new Lookup(revision, template)));
    }
    return decision;
  }

  static Input input(
      InferenceService is,
      Intent intent,
      Context<InferenceService> context,
      Optional<Deployment> deployment,
      Instant now) {
    String podsProblem =
        PodStates.worstProblem(
                context.getSecondaryResources(Pod.class).stream()
                    .filter(p -> !PodStates.isTerminating(p))
                    .filter(p -> PodStates.isKind(p, WorkloadKind.Deployment))
                    .filter(p -> !PodStates.isReady(p))
                    .filter(p -> ResourceNaming.belongsTo(p, is))
                    .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                    .toList())
            .or(() -> deployment.flatMap(RollingUpdatePlanner::deadlineMessage))
            .orElse(null);
    return new Input(
        intent.revision(),
        EffectiveSpec.image(is),
        EffectiveSpec.autoRollback(is),
        is.getStatus() == null ? null : is.getStatus().getRollingUpdate(),
        deployment.map(RollingUpdatePlanner::observed),
        podsProblem,
        Optional.ofNullable(is.getMetadata().getAnnotations())
            .orElse(Map.of())
            .containsKey(ResourceNaming.ANNOTATION_RETRY),
        Optional.empty(),
        now);
  }

  /** The Deployment as the decision sees it. */
  static Observed observed(Deployment d) {
    PodTemplateSpec template = d.getSpec() == null ? null : d.getSpec().getTemplate();
    var status = d.getStatus();
    int replicas = status == null ? 0 : count(status.getReplicas());
    boolean fullyAvailable =
        replicas > 0
            && count(status.getUpdatedReplicas()) == replicas
            && count(status.getAvailableReplicas()) == replicas;
    Long generation = d.getMetadata().getGeneration();
    Long observedGeneration = status == null ? null : status.getObservedGeneration();
    return new Observed(
        revision(template),
        image(template),
        template,
        generation == null || (observedGeneration != null && observedGeneration >= generation),
        fullyAvailable,
        deadlineMessage(d).isPresent());
  }

  /**
   * The pod template of {@code revision} from a ReplicaSet {@code deployment} controls, without the
   * label the Deployment controller adds; the newest when several have it.
   */
  static Optional<PodTemplateSpec> templateOf(
      Collection<ReplicaSet> replicaSets, Deployment deployment, String revision) {
    String uid = deployment.getMetadata().getUid();
    return replicaSets.stream()
        .filter(rs -> controlledBy(rs, uid))
        .filter(rs -> rs.getSpec() != null && revision.equals(revision(rs.getSpec().getTemplate())))
        .max(
            Comparator.comparing(
                rs -> Optional.ofNullable(rs.getMetadata().getCreationTimestamp()).orElse("")))
        .map(
            rs -> {
              PodTemplateSpec template =
                  new PodTemplateSpecBuilder(rs.getSpec().getTemplate()).build();
              if (template.getMetadata().getLabels() != null) {
                template.getMetadata().getLabels().remove(POD_TEMPLATE_HASH_LABEL);
              }
              return template;
            });
  }

  /** The rolling Deployment {@code <name>} among the cached Deployments. */
  static Optional<Deployment> deployment(InferenceService is, Collection<Deployment> deployments) {
    return deployments.stream()
        .filter(
            d -> Objects.equals(d.getMetadata().getNamespace(), is.getMetadata().getNamespace()))
        .filter(d -> ResourceNaming.workloadName(is).equals(d.getMetadata().getName()))
        .findFirst();
  }

  private static Optional<String> deadlineMessage(Deployment d) {
    List<DeploymentCondition> conditions =
        d.getStatus() == null || d.getStatus().getConditions() == null
            ? List.of()
            : d.getStatus().getConditions();
    return conditions.stream()
        .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
        .filter(c -> ConditionReason.ProgressDeadlineExceeded.name().equals(c.getReason()))
        .map(
            c ->
                Optional.ofNullable(c.getMessage())
                    .orElse(ConditionReason.ProgressDeadlineExceeded.name()))
        .findFirst();
  }

  private static String revision(PodTemplateSpec template) {
    String hash = template == null ? null : PodStates.templateHash(template.getMetadata());
    return hash == null ? null : Revisions.revision(hash);
  }

  private static String image(PodTemplateSpec template) {
    return template == null ? null : PodStates.appImage(template.getSpec());
  }

  private static boolean controlledBy(HasMetadata object, String uid) {
    return uid != null
        && Optional.ofNullable(object.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
            .anyMatch(o -> uid.equals(o.getUid()) && Boolean.TRUE.equals(o.getController()));
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }
}
