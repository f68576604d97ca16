package dev.inferops.operator.analysis;

import java.util.Set;

/**
 * Which of the app's requests the analysis counts: the prediction routes of its three protocols, by
 * the route template the app uses as its {@code route} label (see the app's {@code *Endpoints}
 * classes). Health checks, metrics scrapes and metadata reads say nothing about the model.
 */
final class PredictionRoutes {

  static final Set<String> LABELS =
      Set.of("/predict", "/v1/models/{name}:predict", "/v2/models/{name}/infer");

  private PredictionRoutes() {}

  static boolean isPrediction(String route) {
    return LABELS.contains(route);
  }

  /** A 5xx: the server failed. A 4xx is the client's mistake and says nothing about the model. */
  static boolean isError(String status) {
    return status.length() == 3
        && status.charAt(0) == '5'
        && Character.isDigit(status.charAt(1))
        && Character.isDigit(status.charAt(2));
  }
}
