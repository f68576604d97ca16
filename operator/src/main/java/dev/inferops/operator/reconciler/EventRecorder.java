package dev.inferops.operator.reconciler;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records core/v1 Events on an InferenceService; a failure to record never fails a reconcile. */
public final class EventRecorder {

  public static final String COMPONENT = "inference-operator";
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  private EventRecorder() {}

  public static void record(
      KubernetesClient client, InferenceService is, String type, String reason, String message) {
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
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(Identity.instance())
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

  /** This process's name as the reporting instance of its events. */
  static final class Identity {
    private static final String INSTANCE =
        System.getenv()
            .getOrDefault("POD_NAME", System.getenv().getOrDefault("HOSTNAME", COMPONENT));

    static String instance() {
      return INSTANCE;
    }
  }
}
