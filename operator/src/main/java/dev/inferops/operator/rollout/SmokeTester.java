package dev.inferops.operator.rollout;

import dev.inferops.operator.api.v1alpha1.InferenceService;
import dev.inferops.operator.api.v1alpha1.SmokeTestResult;
import dev.inferops.operator.spec.EffectiveSpec;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Sends the smoke rows through the preview Service with a {@link SmokeClient}. */
public final class SmokeTester {

  private final SmokeClient client;

  public SmokeTester(SmokeClient client) {
    this.client = client;
  }

  /**
   * The result of one attempt for {@code revision}; {@code uri} null when the preview has no
   * ClusterIP yet. Whether it answered at all is part of the result, since only an attempt that got
   * no answer is worth repeating.
   */
  public SmokeTestResult run(
      InferenceService is, URI uri, String revision, Optional<String> modelJson, Instant now) {
    List<Map<String, Double>> instances =
        SmokeTest.instances(EffectiveSpec.smokeTestInstances(is), modelJson);
    String outcome;
    boolean passed = false;
    boolean answered = false;
    if (uri == null) {
      outcome = "the preview Service has no ClusterIP";
    } else {
      try {
        SmokeClient.Response response =
            client.post(
                uri,
                SmokeTest.body(instances),
                Duration.ofSeconds(EffectiveSpec.smokeTestTimeoutSeconds(is)));
        Optional<String> failure =
            SmokeTest.check(response, instances.size(), EffectiveSpec.smokeTestExpectedLabels(is));
        answered = true;
        passed = failure.isEmpty();
        outcome =
            failure
                .map(f -> "POST " + uri + ": " + f)
                .orElse(instances.size() + " instance(s) answered as expected by POST " + uri);
      } catch (IOException e) {
        outcome = "POST " + uri + " failed: " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcome = "POST " + uri + " interrupted";
      }
    }
    SmokeTestResult result = new SmokeTestResult();
    result.setRevision(revision);
    result.setPassed(passed);
    result.setAnswered(answered);
    result.setMessage(outcome);
    result.setTime(now.toString());
    return result;
  }
}
