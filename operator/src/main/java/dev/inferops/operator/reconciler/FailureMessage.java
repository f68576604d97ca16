package dev.inferops.operator.reconciler;

import dev.inferops.operator.dependent.OperationFailedException;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failed reconcile as one line a user can act on, for the Degraded condition and Events: which
 * object, which operation and the API server's own reason, e.g. {@code Service heart: create
 * forbidden: exceeded quota: noservices, ...}. Never an exception class, a URL or a stack trace;
 * those go to the operator's log.
 */
public final class FailureMessage {

  /** Longer messages are cut: a condition is read in {@code kubectl describe}, not a log. */
  static final int MAX_LENGTH = 512;

  /** The API server's prefix naming the object again: {@code services "heart" is forbidden: }. */
  private static final Pattern OBJECT_PREFIX =
      Pattern.compile("^[a-z0-9.-]+ \"[^\"]*\" (?:is )?(?:forbidden|invalid|already exists): ");

  /** The client's own message: {@code Failure executing: PATCH at: https://...}. */
  private static final Pattern CLIENT_VERB = Pattern.compile("Failure executing: ([A-Z]+) at: ");

  private FailureMessage() {}

  /** The one line for a failure thrown by a reconcile (its workflow or its status write). */
  public static String of(Throwable failure) {
    List<String> parts = new ArrayList<>();
    // JOSDK wraps the workflow's aggregate in an OperatorException of its own.
    AggregatedOperatorException aggregated = find(failure, AggregatedOperatorException.class);
    if (aggregated != null && !aggregated.getAggregatedExceptions().isEmpty()) {
      // Sorted by dependent name, so the same failures always read the same.
      Map<String, Exception> byDependent = new TreeMap<>(aggregated.getAggregatedExceptions());
      byDependent.values().forEach(e -> parts.add(single(e)));
    } else {
      parts.add(single(failure));
    }
    return oneLine(String.join("; ", parts));
  }

  private static String single(Throwable failure) {
    OperationFailedException operation = find(failure, OperationFailedException.class);
    KubernetesClientException client = find(failure, KubernetesClientException.class);
    if (operation != null) {
      return operation.kind()
          + " "
          + operation.name()
          + ": "
          + reason(operation.operation(), client, operation.getCause());
    }
    if (client != null) {
      String object =
          client.getResourcePlural() == null
              ? ""
              : client.getResourcePlural()
                  + (client.getName() == null ? "" : " " + client.getName())
                  + ": ";
      return object + reason(verb(client), client, client);
    }
    return rootMessage(failure);
  }

  /** {@code <operation> <reason>: <detail>} from the API server's Status, else the cause. */
  private static String reason(String operation, KubernetesClientException client, Throwable e) {
    Status status = client == null ? null : client.getStatus();
    if (status == null || client.getCode() <= 0) {
      return operation + " failed: API server unreachable: " + rootMessage(e);
    }
    String detail = status.getMessage() == null ? "" : status.getMessage().trim();
    detail = OBJECT_PREFIX.matcher(detail).replaceFirst("");
    String word =
        status.getReason() == null || status.getReason().isBlank()
            ? "failed (HTTP " + client.getCode() + ")"
            : words(status.getReason());
    return operation + " " + word + (detail.isEmpty() ? "" : ": " + detail);
  }

  /** The HTTP verb the client names in its message, as an operation. */
  private static String verb(KubernetesClientException client) {
    Matcher matcher = CLIENT_VERB.matcher(String.valueOf(client.getMessage()));
    if (!matcher.find()) {
      return "request";
    }
    return switch (matcher.group(1)) {
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      case "GET" -> "get";
      default -> matcher.group(1).toLowerCase(Locale.ROOT);
    };
  }

  /** {@code TooManyRequests} as {@code too many requests}. */
  private static String words(String reason) {
    return reason.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      // Only the type says what happened (say a timeout); name it in words, not as a class.
      return words(t.getClass().getSimpleName().replace("Exception", "")).trim();
    }
    return CLIENT_VERB.matcher(message).find() ? "request failed" : message;
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String oneLine(String message) {
    String line = message.replaceAll("\\s+", " ").trim();
    return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
  }
}
