package dev.inferops.app.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnswerComparisonTest {
  private static AnswerComparison.Verdict compare(String live, String preview, double tolerance) {
    return AnswerComparison.compare(
        live.getBytes(StandardCharsets.UTF_8), preview.getBytes(StandardCharsets.UTF_8), tolerance);
  }

  private static String heart(int label, double probability, String version) {
    return "{\"predictions\":[{\"label\":"
        + label
        + ",\"probability\":"
        + probability
        + "}],\"model\":\"heart\",\"version\":\""
        + version
        + "\"}";
  }

  @Test
  void sameLabelsAndCloseProbabilitiesAgreeWhateverTheVersion() {
    assertThat(compare(heart(1, 0.8, "1"), heart(1, 0.8000001, "2"), 1e-6).agree()).isTrue();
  }

  @Test
  void anotherLabelOrAFarProbabilityDisagreesAndSaysWhere() {
    AnswerComparison.Verdict label = compare(heart(1, 0.8, "1"), heart(0, 0.8, "1"), 1e-6);
    assertThat(label.agree()).isFalse();
    assertThat(label.difference())
        .isEqualTo(
            "row 0: live {\"label\":1,\"probability\":0.8}, preview"
                + " {\"label\":0,\"probability\":0.8}");
    assertThat(compare(heart(1, 0.8, "1"), heart(1, 0.81, "1"), 1e-6).agree()).isFalse();
    assertThat(compare(heart(1, 0.8, "1"), heart(1, 0.81, "1"), 0.02).agree()).isTrue();
  }

  @Test
  void arraysRegressorsAndRowCountsAreCompared() {
    String forest = "{\"predictions\":[{\"label\":1,\"probabilities\":[0.25,0.75]}]}";
    assertThat(compare(forest, forest, 0).agree()).isTrue();
    assertThat(
            compare(forest, "{\"predictions\":[{\"label\":1,\"probabilities\":[0.3,0.7]}]}", 0.01)
                .agree())
        .isFalse();
    assertThat(
            compare(
                    "{\"predictions\":[{\"oldpeak\":1.5}]}",
                    "{\"predictions\":[{\"oldpeak\":1.5}]}",
                    0)
                .agree())
        .isTrue();
    assertThat(compare(forest, "{\"predictions\":[]}", 1).difference())
        .isEqualTo("live has 1 rows, preview 0");
    assertThat(compare(forest, "{\"predictions\":[{\"label\":1}]}", 1).agree()).isFalse();
    assertThat(compare(forest, "<html>", 1).difference())
        .isEqualTo("the preview's answer is not a predictions body");
  }
}
