package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airgap.core.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** Every statistic agrees with scipy on the committed datasets (see resources/drift/README.md). */
class DriftStatisticsTest {
  private static final Path DRIFT = TestResources.resource("drift");
  private static final JsonNode EXPECTED = read();

  private static JsonNode read() {
    try {
      return new ObjectMapper().readTree(DRIFT.resolve("reference-values.json").toFile());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double[] data(String name) throws Exception {
    return Files.readAllLines(DRIFT.resolve("data/" + name + ".txt")).stream()
        .mapToDouble(Double::parseDouble)
        .toArray();
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }

  private static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  /** Relative agreement, for closed forms. */
  private static void close(double actual, double expected, double relative) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * relative + 1e-300));
  }

  @Test
  void kolmogorovSmirnovMatchesScipy() throws Exception {
    for (JsonNode expected : EXPECTED.get("ks")) {
      String pair = expected.get("pair").asText();
      DriftStatistics.KsResult result =
          DriftStatistics.ks2Samp(data(pair + "-ref"), data(pair + "-cur"));

      assertThat(result.statistic())
          .as(pair)
          .isCloseTo(expected.get("statistic").asDouble(), offset(1e-15));
      assertThat(result.exact()).as(pair).isEqualTo(!expected.get("exactPvalue").isNull());
      close(result.pvalue(), expected.get("pvalue").asDouble(), result.exact() ? 1e-10 : 1e-8);
    }
  }

  @Test
  void wassersteinMatchesScipy() throws Exception {
    for (JsonNode expected : EXPECTED.get("wasserstein")) {
      String pair = expected.get("pair").asText();
      double[] reference = data(pair + "-ref");
      double[] current = data(pair + "-cur");

      close(
          DriftStatistics.wasserstein(reference, current),
          expected.get("distance").asDouble(),
          1e-12);
      close(
          DriftStatistics.populationStd(reference), expected.get("referenceStd").asDouble(), 1e-12);
      close(
          DriftStatistics.normedWasserstein(reference, current),
          expected.get("normed").asDouble(),
          1e-12);
    }
  }

  @Test
  void binnedMetricsMatchScipy() {
    for (JsonNode expected : EXPECTED.get("binned")) {
      double[] p = doubles(expected.get("reference"));
      double[] q = doubles(expected.get("current"));

      close(DriftStatistics.psi(p, q), expected.get("psi").asDouble(), 1e-12);
      close(DriftStatistics.klDivergence(p, q), expected.get("kl").asDouble(), 1e-12);
      close(
          DriftStatistics.jensenShannon(p, q, false),
          expected.get("jensenShannon").asDouble(),
          1e-12);
      close(
          DriftStatistics.jensenShannon(p, q, true),
          expected.get("jensenShannonBase2").asDouble(),
          1e-12);
      close(DriftStatistics.hellinger(p, q), expected.get("hellinger").asDouble(), 1e-12);
    }
  }

  @Test
  void chiSquareMatchesScipy() {
    for (JsonNode expected : EXPECTED.get("chi2")) {
      DriftStatistics.TestResult result =
          DriftStatistics.chiSquareHomogeneity(
              longs(expected.get("reference")), longs(expected.get("current")));

      close(result.statistic(), expected.get("statistic").asDouble(), 1e-12);
      close(result.pvalue(), expected.get("pvalue").asDouble(), 1e-12);
    }
  }

  @Test
  void twoProportionZMatchesScipy() {
    for (JsonNode expected : EXPECTED.get("ztest")) {
      DriftStatistics.TestResult result =
          DriftStatistics.twoProportionZ(
              expected.get("successes1").asLong(), expected.get("n1").asLong(),
              expected.get("successes2").asLong(), expected.get("n2").asLong());

      close(result.statistic(), expected.get("statistic").asDouble(), 1e-12);
      close(result.pvalue(), expected.get("pvalue").asDouble(), 1e-12);
    }
  }

  @Test
  void edgeCasesAreRefusedOrHandledAsScipyDoes() {
    assertThatThrownBy(() -> DriftStatistics.ks2Samp(new double[0], new double[] {1}))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "a two-sample statistic needs values on both sides; the reference side is empty");
    assertThatThrownBy(
            () -> DriftStatistics.wasserstein(new double[] {1, Double.NaN}, new double[] {1}))
        .isInstanceOf(FormatException.class)
        .hasMessage("samples must be finite; NaN and infinities are counted, not compared");
    assertThatThrownBy(() -> DriftStatistics.psi(new double[] {0.5, 0.5}, new double[] {1, 0}))
        .isInstanceOf(FormatException.class)
        .hasMessage("bin 1 is empty or negative; smooth the proportions first");
    DriftStatistics.KsResult constant =
        DriftStatistics.ks2Samp(new double[] {3, 3, 3}, new double[] {3, 3});
    assertThat(constant.statistic()).isZero();
    assertThat(constant.pvalue()).isEqualTo(1.0);
    assertThat(DriftStatistics.wasserstein(new double[] {3, 3}, new double[] {3})).isZero();
    assertThat(DriftStatistics.normedWasserstein(new double[] {3, 3}, new double[] {4}))
        .isCloseTo(1000.0, Percentage.withPercentage(1e-9));
  }
}
