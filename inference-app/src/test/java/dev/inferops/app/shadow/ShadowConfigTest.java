package dev.inferops.app.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShadowConfigTest {
  @TempDir Path dir;

  private static ShadowConfig parse(String json) {
    return ShadowConfig.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheThreeFields() {
    ShadowConfig c =
        parse(
            "{\"target\": \"http://heart-preview.ns.svc:80\", \"sampleRate\": 0.1,"
                + " \"probabilityTolerance\": 0.001}");
    assertThat(c.target()).isEqualTo(URI.create("http://heart-preview.ns.svc:80"));
    assertThat(c.sampleRate()).isEqualTo(0.1);
    assertThat(c.probabilityTolerance()).isEqualTo(0.001);
    assertThat(c.copyUri("/v1/models/heart:predict"))
        .isEqualTo(URI.create("http://heart-preview.ns.svc:80/v1/models/heart:predict"));
  }

  @Test
  void theToleranceDefaultsAndABasePathIsKept() {
    ShadowConfig c = parse("{\"target\": \"http://10.0.0.7:8000/base/\", \"sampleRate\": 1}");
    assertThat(c.probabilityTolerance()).isEqualTo(1e-6);
    assertThat(c.copyUri("/predict")).isEqualTo(URI.create("http://10.0.0.7:8000/base/predict"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"target\": | not JSON: ",
        "[] | must be a JSON object",
        "{\"target\": \"http://x\", \"sampleRate\": 2} | sampleRate must be a number from 0 to 1,"
            + " got 2",
        "{\"target\": \"http://x\", \"sampleRate\": \"0.5\"} | sampleRate must be a number",
        "{\"target\": \"http://x\"} | sampleRate must be a number from 0 to 1, got null",
        "{\"target\": \"https://x\", \"sampleRate\": 1} | target must be an absolute http:// URL",
        "{\"target\": \"x.svc:80\", \"sampleRate\": 1} | target must be an absolute http:// URL",
        "{\"target\": \"/predict\", \"sampleRate\": 1} | target must be an absolute http:// URL",
        "{\"target\": \"http://x?a=1\", \"sampleRate\": 1} | target must be an absolute http://",
        "{\"sampleRate\": 1} | target must be a string",
        "{\"target\": \"http://x\", \"sampleRate\": 1, \"probabilityTolerance\": -1}"
            + " | probabilityTolerance must be a number of at least 0, got -1",
        "{\"target\": \"http://x\", \"samplerate\": 1} | unknown field 'samplerate'",
      })
  void refusesWhatItCannotUse(String json, String message) {
    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(ShadowConfig.InvalidShadowConfig.class)
        .hasMessageStartingWith(message);
  }

  @Test
  void aMissingOrEmptyFileIsOffAndAnInvalidOneSaysWhy() throws Exception {
    Path file = dir.resolve("shadow.json");
    assertThat(ShadowConfigFile.read(file)).isEqualTo(ShadowConfigFile.Reading.OFF);
    Files.writeString(file, " \n");
    assertThat(ShadowConfigFile.read(file)).isEqualTo(ShadowConfigFile.Reading.OFF);
    Files.writeString(file, "{\"target\": \"ftp://x\", \"sampleRate\": 1}");
    assertThat(ShadowConfigFile.read(file).config()).isNull();
    assertThat(ShadowConfigFile.read(file).problem()).startsWith("target must be");
    Files.writeString(file, "{\"target\": \"http://x\", \"sampleRate\": 1}");
    assertThat(ShadowConfigFile.read(file).config().target()).isEqualTo(URI.create("http://x"));
  }

  @Test
  void theSamplerCopiesEveryNthAtRateOneOverN() {
    Sampler tenth = new Sampler();
    int copied = 0;
    for (int i = 1; i <= 100; i++) {
      if (tenth.next(0.1)) {
        copied++;
      }
    }
    assertThat(copied).isEqualTo(10);
    Sampler none = new Sampler();
    Sampler all = new Sampler();
    for (int i = 0; i < 10; i++) {
      assertThat(none.next(0)).isFalse();
      assertThat(all.next(1)).isTrue();
    }
  }
}
