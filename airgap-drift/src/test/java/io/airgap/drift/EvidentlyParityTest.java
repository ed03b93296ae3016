package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default decisions reproduce Evidently's on three public datasets (see
 * resources/drift/evidently/README.md): the same method for every feature, and the same numbers,
 * except that our chi-square is the test of homogeneity where Evidently's is a goodness-of-fit test
 * against the reference proportions.
 */
class EvidentlyParityTest {
  private static final Path DIR = TestResources.resource("drift/evidently");
  private static final Map<String, String> CATEGORICAL =
      Map.of("iris", "species", "breast-cancer", "diagnosis", "digits", "digit");
  private static final Map<String, List<FeatureDrift>> RESULTS = new HashMap<>();

  static Stream<JsonNode> entries() throws Exception {
    JsonNode root = new ObjectMapper().readTree(DIR.resolve("evidently-choices.json").toFile());
    List<JsonNode> entries = new ArrayList<>();
    root.get("entries").forEach(entries::add);
    return entries.stream();
  }

  private static synchronized FeatureDrift ours(String dataset, String feature) {
    List<FeatureDrift> results =
        RESULTS.computeIfAbsent(
            dataset,
            d -> {
              DriftProfile reference =
                  DriftProfile.builder()
                      .buildFromCsv(
                          DIR.resolve(d + "-reference.csv"), List.of(), Set.of(CATEGORICAL.get(d)));
              DriftProfile current =
                  CsvProfiles.current(DIR.resolve(d + "-current.csv"), reference);
              DriftOptions evidently =
                  DriftOptions.builder().smoothing(DriftDetector.Smoothing.EVIDENTLY).build();
              return DriftDetector.compare(reference, current, evidently);
            });
    return results.stream().filter(f -> f.feature().equals(feature)).findFirst().orElseThrow();
  }

  private static void close(double actual, double expected, double relative) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * relative + 1e-300));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void sameMethodAndNumbers(JsonNode expected) {
    FeatureDrift f = ours(expected.get("dataset").asText(), expected.get("feature").asText());
    String method = expected.get("method").asText();

    assertThat(f.method().label())
        .isEqualTo(method.equals("wasserstein") ? "wasserstein_normed" : method);
    assertThat(f.referenceCount()).isEqualTo(expected.get("referenceCount").asLong());
    assertThat(f.currentCount()).isEqualTo(expected.get("currentCount").asLong());
    switch (method) {
      case "ks" -> {
        close(f.statistic(), expected.get("statistic").asDouble(), 1e-12);
        close(f.pvalue(), expected.get("pvalue").asDouble(), 1e-10);
      }
      case "z" -> {
        // Evidently codes the first sorted value as 0, we count the first bucket: same |z|.
        close(Math.abs(f.statistic()), Math.abs(expected.get("statistic").asDouble()), 1e-12);
        close(f.pvalue(), expected.get("pvalue").asDouble(), 1e-9);
      }
      case "chisquare" -> {
        close(f.statistic(), expected.get("homogeneityStatistic").asDouble(), 1e-12);
        close(f.pvalue(), expected.get("homogeneityPvalue").asDouble(), 1e-10);
      }
      default -> close(f.statistic(), expected.get("statistic").asDouble(), 1e-12);
    }
    if (!method.equals("chisquare")) {
      assertThat(f.drifted()).isEqualTo(expected.get("drifted").asBoolean());
    }
  }
}
