package dev.inferops.operator.events;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on an InferenceService through the operator's client. */
public final class KubernetesEventRecorder implements EventRecorder {

  public static final String COMPONENT = "inference-operator";

  private static final Logger log = LoggerFactory.getLogger(KubernetesEventRecorder.class);

  private final KubernetesClient client;
  private final String reportingInstance;

  /**
   * @param reportingInstance this operator process's name in the Events (its pod's name)
   */
  public KubernetesEventRecorder(KubernetesClient client, String reportingInstance) {
    this.client = client;
    this.reportingInstance = reportingInstance;
  }

  @Override
  public void record(InferenceService is, Type type, Reason reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(is.getMetadata().getName() + ".")
            .withNamespace(is.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(is.getApiVersion())
                    .withKind(is.getKind())
                    .withName(is.getMetadata().getName())
                    .withNamespace(is.getMetadata().getNamespace())
                    .withUid(is.getMetadata().getUid())
                    .build())
            .withType(type.name())
            .withReason(reason.name())
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(reportingInstance)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .build();
    try {
      client.v1().events().inNamespace(is.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "Could not record event {} on {}/{}: {}",
          reason,
          is.getMetadata().getNamespace(),
          is.getMetadata().getName(),
          e.getMessage());
    }
  }
}
