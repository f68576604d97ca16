package dev.inferops.operator.rollout.bluegreen;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.rollout.SmokeTester;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.Intent;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.PodStates;
import dev.inferops.operator.workload.Revisions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.net.URI;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers what {@link BlueGreenRollout} decides from (informer caches, commands) and runs the smoke
 * test when the decision asks for it.
 */
public final class BlueGreenPlanner {

  public static final String ENDPOINT_SLICES = "preview-endpointslices";
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private static final Logger log = LoggerFactory.getLogger(BlueGreenPlanner.class);

  private BlueGreenPlanner() {}

  /** The EndpointSlices of the preview Services, which carry the Service's labels. */
  public static InformerEventSource<EndpointSlice, InferenceService> eventSource(
      EventSourceContext<InferenceService> context) {
    var configuration =
        InformerEventSourceConfiguration.from(EndpointSlice.class, InferenceService.class)
            .withName(ENDPOINT_SLICES)
            .withNamespacesInheritedFromController()
            .withLabelSelector(ResourceNaming.PREVIEW_SELECTOR)
            .withSecondaryToPrimaryMapper(
                slice ->
                    Optional.ofNullable(slice.getMetadata().getLabels())
                        .map(l -> l.get(ResourceNaming.LABEL_INSTANCE))
                        .map(n -> Set.of(new ResourceID(n, slice.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** Decides, running the smoke test if due. */
  static BlueGreenDecision plan(
      InferenceService is,
      Intent intent,
      Context<InferenceService> context,
      SmokeTester smoke,
      Instant now) {
    Optional<ConfigMap> model = ModelConfigMap.observed(is, context);
    BlueGreenInput input = input(is, intent, context, now);
    BlueGreenDecision decision = BlueGreenRollout.decide(input);
    if (decision.smokeTestDue()) {
      String revision = decision.status().getPreviewRevision();
      SmokeTestResult result =
          smoke.run(is, previewUri(is, context), revision, modelJson(is, model), now);
      decision = BlueGreenRollout.decide(input.withSmokeTest(result));
      log.info(
          "{}/{}: smoke test of revision {}, attempt {}: {}",
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          revision,
          decision.status().getSmokeTest().getAttempt(),
          result.getMessage());
    }
    return decision;
  }

  static BlueGreenInput input(
      InferenceService is, Intent intent, Context<InferenceService> context, Instant now) {
    Collection<Pod> pods = context.getSecondaryResources(Pod.class);
    String previewRevision =
        previewService(is, context)
            .map(s -> s.getSpec().getSelector())
            .map(sel -> sel.get(ResourceNaming.LABEL_REVISION))
            .orElse(null);
    return new BlueGreenInput(
        intent.revision(),
        EffectiveSpec.image(is),
        EffectiveSpec.replicas(is),
        is.getStatus() == null ? null : is.getStatus().getRollout(),
        revisions(is, context, pods),
        previewRevision,
        readyEndpoints(is, context, pods, previewRevision),
        commands(is),
        Optional.empty(),
        now,
        settings(is));
  }

  /** Every revision Deployment as the informers show it, and those only a snapshot still knows. */
  private static Map<String, BlueGreenRevision> revisions(
      InferenceService is, Context<InferenceService> context, Collection<Pod> pods) {
    Map<String, BlueGreenRevision> revisions = new LinkedHashMap<>();
    for (Deployment d :
        Revisions.revisionDeployments(is, context.getSecondaryResources(Deployment.class))) {
      String rev = d.getMetadata().getLabels().get(ResourceNaming.LABEL_REVISION);
      List<Pod> own =
          pods.stream()
              .filter(p -> !PodStates.isTerminating(p))
              .filter(p -> rev.equals(PodStates.revision(p)))
              .filter(p -> ResourceNaming.belongsTo(p, is))
              .toList();
      Long generation = d.getMetadata().getGeneration();
      Long observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
      revisions.put(
          rev,
          new BlueGreenRevision(
              rev,
              PodStates.appImage(d.getSpec().getTemplate().getSpec()),
              Optional.ofNullable(d.getSpec().getReplicas()).orElse(1),
              (int) own.stream().filter(PodStates::isReady).count(),
              generation == null || (observed != null && observed >= generation),
              created(d),
              PodStates.worstProblem(own).orElse(null)));
    }
    // A revision whose Deployment someone deleted is still known by its snapshot, and rebuilt.
    Revisions.revisionSnapshots(is, context.getSecondaryResources(ControllerRevision.class))
        .forEach(
            (rev, snapshot) ->
                revisions.computeIfAbsent(
                    rev,
                    r ->
                        new BlueGreenRevision(
                            r,
                            PodStates.appImage(Revisions.template(snapshot).getSpec()),
                            0,
                            0,
                            false,
                            created(snapshot),
                            "its Deployment was deleted; recreating it")));
    return revisions;
  }

  /** The ready endpoints the preview Service's EndpointSlices list for the revision it selects. */
  private static int readyEndpoints(
      InferenceService is,
      Context<InferenceService> context,
      Collection<Pod> pods,
      String previewRevision) {
    return (int)
        context.getSecondaryResources(EndpointSlice.class).stream()
            .filter(s -> Objects.equals(s.getMetadata().getNamespace(), namespace(is)))
            .filter(
                s ->
                    ResourceNaming.previewServiceName(is)
                        .equals(s.getMetadata().getLabels().get(SERVICE_NAME_LABEL)))
            .flatMap(s -> Optional.ofNullable(s.getEndpoints()).orElse(List.of()).stream())
            .filter(BlueGreenPlanner::ready)
            .filter(e -> servesRevision(e, pods, previewRevision))
            .count();
  }

  public static BlueGreenSettings settings(InferenceService is) {
    return new BlueGreenSettings(
        EffectiveSpec.progressDeadlineSeconds(is),
        EffectiveSpec.autoPromotionEnabled(is),
        EffectiveSpec.autoPromotionSeconds(is),
        EffectiveSpec.scaleDownDelaySeconds(is),
        EffectiveSpec.smokeTestEnabled(is),
        EffectiveSpec.revisionHistoryLimit(is),
        EffectiveSpec.previewReplicaCount(is));
  }

  /** The commands annotated on the InferenceService. */
  public static Set<BlueGreenCommand> commands(InferenceService is) {
    Map<String, String> annotations =
        Optional.ofNullable(is.getMetadata().getAnnotations()).orElse(Map.of());
    Set<BlueGreenCommand> commands = EnumSet.noneOf(BlueGreenCommand.class);
    COMMAND_ANNOTATIONS.forEach(
        (command, annotation) -> {
          if (annotations.containsKey(annotation)) {
            commands.add(command);
          }
        });
    return commands;
  }

  /** The annotation of each command. */
  public static final Map<BlueGreenCommand, String> COMMAND_ANNOTATIONS =
      Map.of(
          BlueGreenCommand.PROMOTE, ResourceNaming.ANNOTATION_PROMOTE,
          BlueGreenCommand.ABORT, ResourceNaming.ANNOTATION_ABORT,
          BlueGreenCommand.ROLLBACK, ResourceNaming.ANNOTATION_ROLLBACK,
          BlueGreenCommand.RETRY, ResourceNaming.ANNOTATION_RETRY);

  private static Optional<Service> previewService(
      InferenceService is, Context<InferenceService> context) {
    return context.getSecondaryResources(Service.class).stream()
        .filter(s -> ResourceNaming.previewServiceName(is).equals(s.getMetadata().getName()))
        .findFirst();
  }

  /** The preview Service's ClusterIP URL of the predict route; null before it has one. */
  private static URI previewUri(InferenceService is, Context<InferenceService> context) {
    return previewService(is, context)
        .map(s -> s.getSpec().getClusterIP())
        .filter(ip -> !ip.isBlank() && !"None".equals(ip))
        .map(
            ip ->
                URI.create(
                    "http://"
                        + (ip.contains(":") ? "[" + ip + "]" : ip)
                        + ":"
                        + EffectiveSpec.servicePort(is)
                        + EffectiveSpec.smokeTestPath(is)))
        .orElse(null);
  }

  private static Optional<String> modelJson(InferenceService is, Optional<ConfigMap> model) {
    return EffectiveSpec.model(is)
        .flatMap(
            m -> model.map(ConfigMap::getData).map(data -> data.get(EffectiveSpec.modelKey(m))));
  }

  private static boolean ready(Endpoint e) {
    // Unset means ready, as the EndpointSlice API defines it.
    return e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady());
  }

  private static boolean servesRevision(Endpoint e, Collection<Pod> pods, String revision) {
    if (e.getTargetRef() == null) {
      return false;
    }
    return pods.stream()
        .filter(p -> p.getMetadata().getName().equals(e.getTargetRef().getName()))
        .anyMatch(p -> Objects.equals(revision, PodStates.revision(p)));
  }

  private static Instant created(HasMetadata object) {
    return Optional.ofNullable(object.getMetadata().getCreationTimestamp())
        .map(Instant::parse)
        .orElse(null);
  }

  private static String namespace(InferenceService is) {
    return is.getMetadata().getNamespace();
  }
}
