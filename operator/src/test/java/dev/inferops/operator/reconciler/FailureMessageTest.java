package dev.inferops.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.inferops.operator.dependent.OperationFailedException;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one-line failure messages, from exceptions shaped as the client and JOSDK throw them. */
class FailureMessageTest {

  private static final String URL =
      "https://127.0.0.1:6443/api/v1/namespaces/ns/services/heart?fieldManager=inferenceservice"
          + "&force=true";
  private static final String QUOTA =
      "services \"heart\" is forbidden: exceeded quota: noservices, requested: services=1, used:"
          + " services=0, limited: services=0";

  private static final Service SERVICE =
      new ServiceBuilder()
          .withNewMetadata()
          .withName("heart")
          .withNamespace("ns")
          .endMetadata()
          .withNewSpec()
          .endSpec()
          .build();

  @Test
  void aQuotaOnCreateNamesTheObjectTheOperationAndTheServersReason() {
    Exception failure =
        workflowFailure("service", new OperationFailedException("create", SERVICE, quota()));

    assertThat(FailureMessage.of(failure))
        .isEqualTo(
            "Service heart: create forbidden: exceeded quota: noservices, requested: services=1,"
                + " used: services=0, limited: services=0");
  }

  @Test
  void neverCarriesClassNamesUrlsOrStackTraces() {
    String message =
        FailureMessage.of(
            workflowFailure("service", new OperationFailedException("create", SERVICE, quota())));

    assertThat(message)
        .doesNotContain("Exception", "https://", "io.fabric8", "\n", "\tat ", "Failure executing");
  }

  @Test
  void anUnreachableApiServerSaysSo() {
    KubernetesClientException unreachable;
    // A real client against a port nobody listens on, so the exception has the client's shape.
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("https://127.0.0.1:1")
                    .withRequestRetryBackoffLimit(0)
                    .withConnectionTimeout(2000)
                    .build())
            .build()) {
      unreachable =
          catchThrowableOfType(
              KubernetesClientException.class,
              () -> client.services().inNamespace("ns").resource(SERVICE).serverSideApply());
    }

    assertThat(
            FailureMessage.of(
                workflowFailure(
                    "service", new OperationFailedException("update", SERVICE, unreachable))))
        .startsWith("Service heart: update failed: API server unreachable: ")
        .doesNotContain("Exception", "https://");
  }

  @Test
  void reasonsInCamelCaseReadAsWordsAndAStatusWithoutReasonGivesTheCode() {
    assertThat(
            FailureMessage.of(
                new OperationFailedException(
                    "update",
                    SERVICE,
                    clientFailure(429, "TooManyRequests", "storage is (re)initializing"))))
        .isEqualTo("Service heart: update too many requests: storage is (re)initializing");
    assertThat(
            FailureMessage.of(
                new OperationFailedException(
                    "create",
                    SERVICE,
                    clientFailure(
                        400, null, "admission webhook \"deny.inferops.dev\" denied the request"))))
        .isEqualTo(
            "Service heart: create failed (HTTP 400): admission webhook \"deny.inferops.dev\""
                + " denied the request");
  }

  @Test
  void severalFailingDependentsAreJoinedInNameOrder() {
    Exception failure =
        new AggregatedOperatorException(
            "Exception(s) during workflow execution.",
            Map.of(
                "service",
                new OperationFailedException("create", SERVICE, quota()),
                "config",
                new IllegalStateException("settings are inconsistent")));

    assertThat(FailureMessage.of(failure))
        .startsWith("settings are inconsistent; Service heart: create forbidden: exceeded quota");
  }

  @Test
  void aClientFailureOutsideTheDependentsUsesTheVerbFromTheClientsMessage() {
    assertThat(
            FailureMessage.of(
                clientFailure(
                    409,
                    "Conflict",
                    "Operation cannot be fulfilled on inferenceservices.inferops.dev \"heart\": the"
                        + " object has been modified")))
        .isEqualTo(
            "services heart: patch conflict: Operation cannot be fulfilled on"
                + " inferenceservices.inferops.dev \"heart\": the object has been modified");
  }

  @Test
  void longMessagesAreCut() {
    String message =
        FailureMessage.of(
            new OperationFailedException(
                "create", SERVICE, clientFailure(422, "Invalid", "x".repeat(2000))));

    assertThat(message).hasSize(FailureMessage.MAX_LENGTH).endsWith("...");
  }

  private static KubernetesClientException quota() {
    return clientFailure(403, "Forbidden", QUOTA);
  }

  /** As the client's OperationSupport builds it from the API server's answer. */
  private static KubernetesClientException clientFailure(int code, String reason, String message) {
    Status status =
        new StatusBuilder()
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .withStatus("Failure")
            .withNewDetails()
            .withKind("services")
            .withName("heart")
            .endDetails()
            .build();
    HttpRequest request =
        new StandardHttpRequest.Builder()
            .uri(URL)
            .method("PATCH", "application/apply-patch+yaml", "{}")
            .build();
    return new KubernetesClientException(
        "Failure executing: PATCH at: "
            + URL
            + ". Message: "
            + message
            + ". Received status: "
            + status
            + ".",
        null,
        code,
        status,
        request);
  }

  /** As the reconciler receives it: JOSDK wraps the workflow's aggregate once more. */
  private static Exception workflowFailure(String dependent, Exception e) {
    return new OperatorException(
        new AggregatedOperatorException(
            "Exception(s) during workflow execution.", Map.of(dependent, e)));
  }
}
