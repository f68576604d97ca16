package dev.inferops.operator.analysis;

import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Answers each pod by name with text set by the test, or throws what the test set; logs reads. */
final class FakeMetricsSource implements PodMetricsSource {

  private final Map<String, Object> answers = new HashMap<>();
  final List<String> reads = new ArrayList<>();

  FakeMetricsSource answer(String pod, Exposition exposition) {
    answers.put(pod, exposition.text());
    return this;
  }

  FakeMetricsSource answer(String pod, String text) {
    answers.put(pod, text);
    return this;
  }

  FakeMetricsSource fail(String pod, Exception failure) {
    answers.put(pod, failure);
    return this;
  }

  @Override
  public String scrape(Pod pod, int port) throws IOException, InterruptedException {
    String name = pod.getMetadata().getName();
    reads.add(name + ":" + port);
    Object answer = answers.get(name);
    if (answer instanceof IOException e) {
      throw e;
    }
    if (answer instanceof InterruptedException e) {
      throw e;
    }
    if (answer instanceof RuntimeException e) {
      throw e;
    }
    if (answer == null) {
      throw new IOException("no answer configured for " + name);
    }
    return (String) answer;
  }
}
