package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.workload.PodStates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which pods the Services' EndpointSlices list as ready: a rollout sends traffic to a new version,
 * or takes it from the old one, only once the Service really routes to the new pods.
 */
public final class ServiceEndpoints {

  public static final String NAME = "service-endpointslices";
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private ServiceEndpoints() {}

  /** The EndpointSlices of the operator's Services, which carry the Service's labels. */
  public static InformerEventSource<EndpointSlice, InferenceService> eventSource(
      EventSourceContext<InferenceService> context) {
    var configuration =
        InformerEventSourceConfiguration.from(EndpointSlice.class, InferenceService.class)
            .withName(NAME)
            .withNamespacesInheritedFromController()
            .withLabelSelector(ResourceNaming.MANAGED_SELECTOR)
            .withSecondaryToPrimaryMapper(
                slice ->
                    Optional.ofNullable(slice.getMetadata().getLabels())
                        .map(l -> l.get(ResourceNaming.LABEL_INSTANCE))
                        .map(n -> Set.of(new ResourceID(n, slice.getMetadata().getNamespace())))
                        .orElse(Set.of()))
            .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** The ready endpoints the Service {@code serviceName} lists among {@code revision}'s pods. */
  public static int ready(
      InferenceService is,
      Context<InferenceService> context,
      String serviceName,
      Collection<Pod> pods,
      String revision) {
    return (int)
        context.getSecondaryResources(EndpointSlice.class).stream()
            .filter(
                s -> Objects.equals(s.getMetadata().getNamespace(), ResourceNaming.namespace(is)))
            .filter(s -> serviceName.equals(labels(s).get(SERVICE_NAME_LABEL)))
            .flatMap(s -> Optional.ofNullable(s.getEndpoints()).orElse(List.of()).stream())
            .filter(ServiceEndpoints::ready)
            .filter(e -> servesRevision(e, pods, revision))
            .count();
  }

  private static java.util.Map<String, String> labels(EndpointSlice slice) {
    return Optional.ofNullable(slice.getMetadata().getLabels()).orElse(java.util.Map.of());
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
}
