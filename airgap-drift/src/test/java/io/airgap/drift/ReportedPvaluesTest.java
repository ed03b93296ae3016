package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A report gives each test's own p-value, the one scipy's {@code ks_2samp} gives for the same
 * samples, beside the Benjamini-Hochberg-adjusted one that scipy's {@code false_discovery_control}
 * gives, and names the correction (values from resources/drift/reference-values.json).
 */
class ReportedPvaluesTest {
  private static final Path DRIFT = TestResources.resource("drift");
  private static final List<String> PAIRS = List.of("small", "medium", "large");

  private static JsonNode expected;
  private static DriftProfile reference;
  private static DriftProfile current;
  private static DriftReport report;

  @BeforeAll
  static void compareThePairsAsOneDataset() throws Exception {
    expected = new ObjectMapper().readTree(DRIFT.resolve("reference-values.json").toFile());
    DriftProfile.Builder builder = DriftProfile.builder().exactLimit(20_000);
    DriftOptions.Builder options = DriftOptions.builder();
    for (String pair : PAIRS) {
      builder.numeric(pair, data(pair + "-ref"));
      options.method(pair, DriftMethod.KS); // medium and large would get Wasserstein by default
    }
    reference = builder.build();
    current = reference.newLive();
    for (String pair : PAIRS) {
      for (double value : data(pair + "-cur")) {
        current.numeric(pair).add(value);
      }
    }
    report =
        DriftReport.compare(
            reference, current, options.build(), MultipleTesting.Correction.BENJAMINI_HOCHBERG);
  }

  private static double[] data(String name) throws Exception {
    return Files.readAllLines(DRIFT.resolve("data/" + name + ".txt")).stream()
        .mapToDouble(Double::parseDouble)
        .toArray();
  }

  private static void close(double actual, double expected, double relative) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * relative + 1e-300));
  }

  @Test
  void pvalueIsTheTestsOwnAsScipyGivesIt() {
    for (int i = 0; i < PAIRS.size(); i++) {
      FeatureDrift f = report.features().get(i);
      JsonNode ks = expected.get("ks").get(i);
      assertThat(f.feature()).isEqualTo(ks.get("pair").asText());
      // 0.42246532016101734, 5.4571913029500044e-05, 2.6194225240035842e-24
      close(f.pvalue(), ks.get("pvalue").asDouble(), ks.get("exactPvalue").isNull() ? 1e-8 : 1e-10);
    }
  }

  @Test
  void adjustedPvalueIsBenjaminiHochbergsAsScipyGivesIt() {
    JsonNode adjusted = expected.get("benjaminiHochberg").get("adjusted");
    // 0.42246532016101734, 8.185786954425007e-05, 7.858267572010752e-24
    for (int i = 0; i < PAIRS.size(); i++) {
      close(report.features().get(i).adjustedPvalue(), adjusted.get(i).asDouble(), 1e-8);
    }
    assertThat(report.features().get(1).adjustedPvalue())
        .isCloseTo(report.features().get(1).pvalue() * 3 / 2, within(1e-18));
  }

  @Test
  void jsonTextAndHtmlCarryBothPvaluesAndTheCorrection() throws Exception {
    FeatureDrift medium = report.features().get(1);
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    JsonNode result = json.get("results").get(1);

    assertThat(json.get("correction").asText()).isEqualTo("benjamini-hochberg");
    assertThat(result.get("pvalue").asDouble()).isEqualTo(medium.pvalue());
    assertThat(result.get("adjustedPvalue").asDouble()).isEqualTo(medium.adjustedPvalue());
    assertThat(report.toText())
        .contains(
            DriftReport.number(medium.pvalue())
                + "    "
                + DriftReport.number(medium.adjustedPvalue()))
        .contains("(benjamini-hochberg correction)");
    assertThat(DriftHtml.render(report, reference, current))
        .contains(
            "<td>medium</td><td>ks</td><td>0.061933</td><td>5.4572e-05</td><td>8.1858e-05</td>")
        .contains("Multiple-testing correction: benjamini-hochberg");
  }
}
