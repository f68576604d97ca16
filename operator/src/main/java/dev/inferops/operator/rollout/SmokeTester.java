package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.naming.ResourceNaming;
import dev.inferops.operator.spec.EffectiveSpec;
import dev.inferops.operator.workload.ModelConfigMap;
import dev.inferops.operator.workload.ModelSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends the smoke requests through the preview Service with a {@link SmokeClient}: the heart rows
 * of {@link SmokeTest} to the predict route, or, for an ONNX model, the user's instances to its
 * KServe V1 route ({@link V1SmokeTest}) or, without them, the zero row of {@link V2SmokeTest} its
 * own metadata describes.
 */
public final class SmokeTester {

  private final SmokeClient client;

  public SmokeTester(SmokeClient client) {
    this.client = client;
  }

  /** How one attempt went; only one that got no answer is worth repeating. */
  private record Attempt(boolean answered, boolean passed, String message) {}

  /** A request that got no answer. */
  private static final class NoAnswer extends Exception {
    NoAnswer(String message) {
      super(message);
    }
  }

  /**
   * The result of one attempt for {@code revision}; {@code root} is the preview Service's root URL
   * (see {@link SmokeClient#serviceRoot}), null when it cannot be reached yet. Whether it answered
   * at all is part of the result, since only an attempt that got no answer is worth repeating.
   */
  public SmokeTestResult run(
      InferenceService is, URI root, String revision, Optional<String> modelJson, Instant now) {
    Duration timeout = Duration.ofSeconds(EffectiveSpec.smokeTestTimeoutSeconds(is));
    Attempt attempt;
    if (root == null) {
      attempt = new Attempt(false, false, "the preview Service has no ClusterIP");
    } else {
      try {
        attempt =
            ModelSource.of(is).filter(ModelSource::onnx).isPresent()
                ? onnx(is, root, timeout)
                : heart(is, root, modelJson, timeout);
      } catch (NoAnswer e) {
        attempt = new Attempt(false, false, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        attempt = new Attempt(false, false, "smoke test to " + root + " interrupted");
      }
    }
    SmokeTestResult result = new SmokeTestResult();
    result.setRevision(revision);
    result.setPassed(attempt.passed());
    result.setAnswered(attempt.answered());
    result.setMessage(attempt.message());
    result.setTime(now.toString());
    return result;
  }

  /** The heart rows (configured, or the example patient) POSTed to the predict route. */
  private Attempt heart(InferenceService is, URI root, Optional<String> modelJson, Duration timeout)
      throws NoAnswer, InterruptedException {
    URI uri = root.resolve(EffectiveSpec.smokeTestPath(is).replaceFirst("^/+", ""));
    List<Map<String, Double>> instances =
        SmokeTest.instances(EffectiveSpec.smokeTestInstances(is), modelJson);
    SmokeClient.Response response = post(uri, SmokeTest.body(instances), timeout);
    Optional<String> failure =
        SmokeTest.check(response, instances.size(), EffectiveSpec.smokeTestExpectedLabels(is));
    return answered(uri, failure, instances.size() + " instance(s) answered as expected");
  }

  /**
   * The served model's name and its V2 metadata, then the user's instances to the V1 predict route
   * or, without them, one infer request of a zero row.
   */
  private Attempt onnx(InferenceService is, URI root, Duration timeout)
      throws NoAnswer, InterruptedException {
    URI models = V2SmokeTest.modelsUri(root);
    V2SmokeTest.Parsed<String> name = V2SmokeTest.modelName(get(models, timeout));
    if (!name.ok()) {
      return new Attempt(true, false, "GET " + models + ": " + name.failure());
    }
    URI metadata = V2SmokeTest.metadataUri(root, name.value());
    SmokeClient.Response answer = get(metadata, timeout);
    List<Map<String, Double>> instances = EffectiveSpec.smokeTestInstances(is);
    return instances.isEmpty()
        ? zeroRow(root, name.value(), metadata, answer, timeout)
        : userInstances(is, root, name.value(), metadata, answer, instances, timeout);
  }

  /** The user's instances, checked against the outputs the metadata declares. */
  private Attempt userInstances(
      InferenceService is,
      URI root,
      String model,
      URI metadata,
      SmokeClient.Response answer,
      List<Map<String, Double>> instances,
      Duration timeout)
      throws NoAnswer, InterruptedException {
    V2SmokeTest.Parsed<V1SmokeTest.PredictRequest> request =
        V1SmokeTest.predictRequest(
            model,
            answer,
            instances,
            EffectiveSpec.smokeTestExpectedLabels(is),
            EffectiveSpec.smokeTestExpectedValues(is),
            EffectiveSpec.smokeTestTolerance(is));
    if (!request.ok()) {
      return new Attempt(true, false, "GET " + metadata + ": " + request.failure());
    }
    URI uri = V1SmokeTest.predictUri(root, model);
    Optional<String> failure =
        V1SmokeTest.check(post(uri, request.value().body(), timeout), request.value());
    return answered(uri, failure, instances.size() + " instance(s) answered as expected");
  }

  /** One infer request of a zero row of the input the metadata declares. */
  private Attempt zeroRow(
      URI root, String model, URI metadata, SmokeClient.Response answer, Duration timeout)
      throws NoAnswer, InterruptedException {
    V2SmokeTest.Parsed<V2SmokeTest.InferRequest> request = V2SmokeTest.inferRequest(model, answer);
    if (!request.ok()) {
      return new Attempt(true, false, "GET " + metadata + ": " + request.failure());
    }
    V2SmokeTest.InferRequest infer = request.value();
    URI inferUri = V2SmokeTest.inferUri(root, model);
    Optional<String> failure = V2SmokeTest.check(post(inferUri, infer.body(), timeout), infer);
    return answered(
        inferUri,
        failure,
        "a zero row of "
            + infer.input()
            + " "
            + infer.datatype()
            + " "
            + infer.shape()
            + " answered with every output ("
            + String.join(", ", infer.outputs())
            + ")");
  }

  /** An answered POST to {@code uri}: its failure, or what passed, by POST to it. */
  private static Attempt answered(URI uri, Optional<String> failure, String passed) {
    return new Attempt(
        true,
        failure.isEmpty(),
        failure.map(f -> "POST " + uri + ": " + f).orElse(passed + " by POST " + uri));
  }

  private SmokeClient.Response post(URI uri, String body, Duration timeout)
      throws NoAnswer, InterruptedException {
    try {
      return client.post(uri, body, timeout);
    } catch (IOException e) {
      throw new NoAnswer("POST " + uri + " failed: " + e);
    }
  }

  private SmokeClient.Response get(URI uri, Duration timeout)
      throws NoAnswer, InterruptedException {
    try {
      return client.get(uri, timeout);
    } catch (IOException e) {
      throw new NoAnswer("GET " + uri + " failed: " + e);
    }
  }

  /**
   * One attempt for {@code revision} through the preview Service, which selects only its pods; the
   * heart rows are the model ConfigMap's own when it has them.
   */
  public SmokeTestResult runOnPreview(
      InferenceService is, Context<InferenceService> context, String revision, Instant now) {
    return run(
        is,
        previewRoot(is, context),
        revision,
        modelJson(is, ModelConfigMap.observed(is, context)),
        now);
  }

  /**
   * Where the preview Service is reached, as the client reaches Services; null before it can be.
   */
  private URI previewRoot(InferenceService is, Context<InferenceService> context) {
    return context.getSecondaryResources(Service.class).stream()
        .filter(s -> ResourceNaming.previewServiceName(is).equals(s.getMetadata().getName()))
        .findFirst()
        .map(s -> client.serviceRoot(s, EffectiveSpec.servicePort(is)))
        .orElse(null);
  }

  private static Optional<String> modelJson(InferenceService is, Optional<ConfigMap> model) {
    return EffectiveSpec.model(is)
        .flatMap(
            m -> model.map(ConfigMap::getData).map(data -> data.get(EffectiveSpec.modelKey(m))));
  }
}
