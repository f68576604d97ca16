package dev.inferops.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InjectedErrorsTest {
  private static List<Integer> failing(InjectedErrors errors, int requests) {
    List<Integer> failed = new ArrayList<>();
    for (int n = 1; n <= requests; n++) {
      if (errors.next()) {
        failed.add(n);
      }
    }
    return failed;
  }

  @Test
  void aQuarterFailsEveryFourthRequest() {
    List<Integer> failed = failing(new InjectedErrors(new BigDecimal("0.25")), 100);
    assertThat(failed).hasSize(25);
    for (int i = 0; i < failed.size(); i++) {
      assertThat(failed.get(i)).isEqualTo(4 * (i + 1));
    }
  }

  /** Of the first N, exactly floor(N × f), with f read as the decimal it is written as. */
  @ParameterizedTest(name = "{0} of {1}")
  @CsvSource({
    "0, 1000, 0",
    "1, 1000, 1000",
    "0.5, 7, 3",
    "0.57, 100, 57",
    "0.07, 100, 7",
    "0.1, 1000, 100",
    "0.333, 1000, 333",
    "0.001, 999, 0",
    "0.001, 1000, 1",
    "0.000000001, 1000, 0",
  })
  void failsExactlyTheFloorOfNTimesTheFraction(String fraction, int requests, int expected) {
    InjectedErrors errors = new InjectedErrors(new BigDecimal(fraction));
    List<Integer> failed = failing(errors, requests);
    assertThat(failed).hasSize(expected);
    // At every point along the way too, not only at the end.
    InjectedErrors again = new InjectedErrors(new BigDecimal(fraction));
    BigDecimal f = new BigDecimal(fraction);
    int count = 0;
    for (int n = 1; n <= requests; n++) {
      count += again.next() ? 1 : 0;
      assertThat(count).isEqualTo(f.multiply(BigDecimal.valueOf(n)).intValue());
    }
  }

  @Test
  void countsExactlyUnderConcurrency() throws Exception {
    InjectedErrors errors = new InjectedErrors(new BigDecimal("0.25"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> parts = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        parts.add(pool.submit(() -> failing(errors, 10_000).size()));
      }
      int total = 0;
      for (Future<Integer> part : parts) {
        total += part.get();
      }
      assertThat(total).isEqualTo(20_000);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theMessageNamesTheSetting() {
    assertThat(new InjectedErrors(new BigDecimal("0.250")).message())
        .isEqualTo(
            "injected fault: FAULT_INJECTION_ERROR_FRACTION=0.25 fails this share of prediction"
                + " requests on purpose");
  }
}
