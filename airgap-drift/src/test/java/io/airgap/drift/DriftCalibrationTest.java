package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.airgap.core.FormatException;
import io.airgap.drift.FeatureDrift.ThresholdSource;
import io.airgap.drift.FeatureDrift.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Leave-one-out calibration of distance thresholds on reference chunks. */
class DriftCalibrationTest {
  private static final int ROWS = 100_000;
  private static final int CHUNK = 5_000;

  private final Random random = new Random(5);
  private final double[] income = new double[ROWS];
  private final String[] country = new String[ROWS];
  private final DriftProfile reference;

  DriftCalibrationTest() {
    for (int i = 0; i < ROWS; i++) {
      income[i] = random.nextGaussian() * 10 + 50;
      country[i] = "c" + random.nextInt(4);
    }
    reference =
        DriftProfile.builder()
            // every value kept: exact distances, so the numbers do not depend on sketches
            .exactLimit(ROWS)
            .maxCategories(100)
            .numeric("income", income)
            .categorical("country", country)
            .build();
  }

  private List<DriftProfile> chunks() {
    List<DriftProfile> chunks = new ArrayList<>();
    for (int from = 0; from < ROWS; from += CHUNK) {
      chunks.add(window(from, 0));
    }
    return chunks;
  }

  /** A live profile of reference rows [from, from + CHUNK), incomes shifted by {@code shift}. */
  private DriftProfile window(int from, double shift) {
    DriftProfile live = reference.newLive();
    for (int i = from; i < from + CHUNK; i++) {
      live.numeric("income").add(income[i] + shift);
      live.categorical("country").add(country[i]);
    }
    return live;
  }

  @Test
  void thresholdIsMeanPlusThreeSigmaOfLeaveOneOutDistances() {
    List<DriftProfile> chunks = chunks();

    DriftCalibration calibration =
        DriftCalibration.leaveOneOut(reference, chunks, CHUNK, DriftOptions.defaults());

    assertThat(calibration.chunks()).isEqualTo(20);
    DriftCalibration.Threshold income = calibration.thresholds().get(0);
    assertThat(income.feature()).isEqualTo("income");
    assertThat(income.method()).isEqualTo(DriftMethod.WASSERSTEIN_NORMED);
    // Recompute the first chunk's distance by hand: chunk 0 against the merge of chunks 1..19.
    DriftProfile rest = reference.newLive();
    chunks.subList(1, 20).forEach(rest::merge);
    double first =
        DriftDetector.compare(rest, chunks.get(0)).stream()
            .filter(f -> f.feature().equals("income"))
            .findFirst()
            .orElseThrow()
            .statistic();
    assertThat(first).isPositive();
    assertThat(income.threshold()).isEqualTo(income.mean() + 3 * income.std());
    // With 5,000-row windows the noise floor is well below Evidently's fixed 0.1.
    assertThat(income.threshold()).isBetween(0.02, 0.07);
    assertThat(calibration.thresholds().get(1).method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
  }

  @Test
  void calibratedThresholdsCatchAShiftTheDefaultMisses() {
    DriftCalibration calibration =
        DriftCalibration.leaveOneOut(reference, chunks(), CHUNK, DriftOptions.defaults());
    DriftOptions calibrated = DriftOptions.builder().calibrated(calibration).build();
    // A shift of 0.08 standard deviations: normed Wasserstein about 0.08, under 0.1, but far above
    // what a reference window of this size drifts by chance.
    DriftProfile shifted = window(0, 0.8);

    FeatureDrift byDefault = DriftDetector.compare(reference, shifted).get(0);
    FeatureDrift byCalibration = DriftDetector.compare(reference, shifted, calibrated).get(0);

    assertThat(byDefault.verdict()).isEqualTo(Verdict.STABLE);
    assertThat(byCalibration.verdict()).isEqualTo(Verdict.DRIFTED);
    assertThat(byCalibration.thresholdSource()).isEqualTo(ThresholdSource.CALIBRATED);
    assertThat(byCalibration.threshold()).isEqualTo(calibration.thresholds().get(0).threshold());
    // And an unshifted window of the reference stays stable under the calibrated threshold.
    assertThat(DriftDetector.compare(reference, window(50_000, 0), calibrated).get(0).verdict())
        .isEqualTo(Verdict.STABLE);
  }

  @Test
  void anotherMethodForACalibratedFeatureDropsTheCalibratedThreshold() {
    DriftCalibration calibration =
        DriftCalibration.leaveOneOut(reference, chunks(), CHUNK, DriftOptions.defaults());
    DriftCalibration.Threshold calibrated = calibration.thresholds().get(0);
    DriftMethod other =
        calibrated.method() == DriftMethod.PSI ? DriftMethod.HELLINGER : DriftMethod.PSI;

    DriftOptions.Rule replaced =
        DriftOptions.builder()
            .calibrated(calibration)
            .method(calibrated.feature(), other)
            .build()
            .rule(calibrated.feature())
            .orElseThrow();
    DriftOptions.Rule kept =
        DriftOptions.builder()
            .calibrated(calibration)
            .method(calibrated.feature(), calibrated.method())
            .build()
            .rule(calibrated.feature())
            .orElseThrow();

    // A threshold calibrated for one distance means nothing for another.
    assertThat(replaced)
        .isEqualTo(new DriftOptions.Rule(other, Double.NaN, ThresholdSource.DEFAULT));
    assertThat(kept)
        .isEqualTo(
            new DriftOptions.Rule(
                calibrated.method(), calibrated.threshold(), ThresholdSource.CALIBRATED));
  }

  @Test
  void jsonRoundTripsAndIsReadStrictly() {
    DriftCalibration calibration =
        DriftCalibration.leaveOneOut(reference, chunks(), CHUNK, DriftOptions.defaults());
    String json = new String(calibration.toJson(), StandardCharsets.UTF_8);

    assertThat(DriftCalibration.parse(json.getBytes(StandardCharsets.UTF_8), "t.json"))
        .isEqualTo(calibration);
    assertThatThrownBy(
            () ->
                DriftCalibration.parse(
                    json.replace("\"jensenshannon\"", "\"ks\"").getBytes(StandardCharsets.UTF_8),
                    "t.json"))
        .isInstanceOf(FormatException.class)
        .hasMessage("t.json thresholds[1]: ks is a test, not a distance");
    assertThatThrownBy(
            () ->
                DriftCalibration.parse(
                    json.replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 9")
                        .replace("\"schemaVersion\": 1", "\"schemaVersion\": 9")
                        .getBytes(StandardCharsets.UTF_8),
                    "t.json"))
        .isInstanceOf(FormatException.class)
        .hasMessage("t.json: calibration schemaVersion 9 is not supported");
  }

  @Test
  void tooFewChunksAndTestsAreRefused() {
    List<DriftProfile> two = chunks().subList(0, 2);
    assertThatThrownBy(
            () -> DriftCalibration.leaveOneOut(reference, two, CHUNK, DriftOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "calibration needs at least 3 reference chunks, got 2; use smaller chunks or more"
                + " reference rows");
    DriftOptions ks = DriftOptions.builder().method("income", DriftMethod.KS).build();
    assertThatThrownBy(() -> DriftCalibration.leaveOneOut(reference, chunks(), CHUNK, ks))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "feature income is set to the ks test; calibration sets distance thresholds, a p-value"
                + " threshold needs none");
  }

  @Test
  void constantFeatureGetsTheSmallestThreshold() {
    double[] constant = new double[3_000];
    java.util.Arrays.fill(constant, 4.0);
    DriftProfile flat =
        DriftProfile.builder().exactLimit(100).maxCategories(10).numeric("x", constant).build();
    List<DriftProfile> chunks = new ArrayList<>();
    for (int c = 0; c < 3; c++) {
      DriftProfile live = flat.newLive();
      for (int i = 0; i < 1_000; i++) {
        live.numeric("x").add(4.0);
      }
      chunks.add(live);
    }

    DriftCalibration.Threshold t =
        DriftCalibration.leaveOneOut(flat, chunks, 1_000, DriftOptions.defaults())
            .thresholds()
            .get(0);

    assertThat(t.method()).isEqualTo(DriftMethod.JENSEN_SHANNON);
    assertThat(t.mean()).isZero();
    assertThat(t.threshold()).isCloseTo(DriftCalibration.MIN_THRESHOLD, within(0.0));
  }
}
