package dev.inferops.app.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {
  private static byte[] hex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "41, -1",
    "c3a9, -1",
    "e282ac, -1",
    "f09f9880, -1",
    "f48fbfbf, -1",
    "ff, 0",
    "41c3, 1",
    "c0af, 0",
    "e080af, 0",
    "eda080, 0",
    "f4908080, 0",
    "f5808080, 0",
    "c328, 0",
    "4141e282, 2",
  })
  void findsTheFirstBadByte(String bytes, int expected) {
    byte[] b = hex(bytes);
    assertThat(Utf8.firstInvalid(b, b.length)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"plain ascii", "caf\u00e9 \u20ac \ud83d\ude00"})
  void agreesWithTheJdkOnValidText(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8.firstInvalid(b, b.length)).isEqualTo(-1);
  }
}
