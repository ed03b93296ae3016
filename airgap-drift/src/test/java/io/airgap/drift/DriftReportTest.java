package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.drift.FeatureDrift.ThresholdSource;
import io.airgap.drift.FeatureDrift.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's JSON and text forms, exactly. */
class DriftReportTest {
  private static final DriftReport REPORT =
      new DriftReport(
          List.of(
              new FeatureDrift(
                  "age",
                  DriftMethod.KS,
                  0.25,
                  0.00001234,
                  0.00002468,
                  0.05,
                  Verdict.DRIFTED,
                  500,
                  400,
                  true,
                  0,
                  ThresholdSource.DEFAULT),
              new FeatureDrift(
                  "income",
                  DriftMethod.WASSERSTEIN_NORMED,
                  0.05,
                  Double.NaN,
                  Double.NaN,
                  0.1,
                  Verdict.STABLE,
                  5000,
                  20000,
                  false,
                  0,
                  ThresholdSource.DEFAULT)),
          MultipleTesting.Correction.BENJAMINI_HOCHBERG);

  @Test
  void textTableListsEveryFeatureBothPvaluesAndTheVerdict() {
    assertThat(REPORT.toText())
        .isEqualTo(
            "feature  method                          statistic       p-value    adjusted p  threshold  drift\n"
                + "age      ks                               0.250000    1.2340e-05    2.4680e-05   0.050000  DRIFT\n"
                + "income   wasserstein_normed (sketch)      0.050000             -             -   0.100000  ok   \n"
                + "1 of 2 features drifted (benjamini-hochberg correction): dataset DRIFTED\n");
  }

  @Test
  void jsonHoldsEveryField() {
    assertThat(REPORT.toJson())
        .startsWith(
            "{\n  \"datasetDrifted\": true,\n  \"driftedFeatures\": 1,\n  \"undecidedFeatures\": 0,\n"
                + "  \"features\": 2,\n"
                + "  \"correction\": \"benjamini-hochberg\",\n  \"results\": [\n    {\n"
                + "      \"feature\": \"age\",\n      \"method\": \"ks\",\n      \"statistic\": 0.25,\n"
                + "      \"pvalue\": 1.234E-5,\n      \"adjustedPvalue\": 2.468E-5,\n"
                + "      \"threshold\": 0.05,\n")
        .contains("\"pvalue\": null,\n      \"adjustedPvalue\": null,")
        .contains("\"exact\": false");
  }
}
