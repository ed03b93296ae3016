package io.airgap.drift;

/**
 * The drift decision for one feature.
 *
 * @param feature the feature's name
 * @param method the test or distance used
 * @param statistic the test statistic or distance
 * @param pvalue the test's own p-value (what scipy reports for the same samples), or NaN for a
 *     distance
 * @param adjustedPvalue the p-value after the report's multiple-testing correction, which the
 *     verdict compares with the threshold (equal to {@code pvalue} without a correction), or NaN
 *     for a distance
 * @param threshold the adjusted p-value below which, or the distance from which, the feature drifts
 * @param verdict stable, drifted, or undecided when the sketches' error bound straddles the
 *     threshold
 * @param referenceCount values compared on the reference side
 * @param currentCount values compared on the current side
 * @param exact whether the statistic was computed from the values themselves (false: from sketches)
 * @param errorBound how far the statistic may be from the one the values would give (the sketches'
 *     combined rank error for KS; 0 when exact or when no bound is known)
 * @param thresholdSource where the threshold came from
 */
public record FeatureDrift(
    String feature,
    DriftMethod method,
    double statistic,
    double pvalue,
    double adjustedPvalue,
    double threshold,
    Verdict verdict,
    long referenceCount,
    long currentCount,
    boolean exact,
    double errorBound,
    ThresholdSource thresholdSource) {

  /** The outcome for one feature. */
  public enum Verdict {
    /** No drift at the threshold. */
    STABLE,
    /** Drift at the threshold. */
    DRIFTED,
    /** The sketches cannot tell: the statistic's error band contains the threshold. */
    UNDECIDED
  }

  /** Where a threshold came from. */
  public enum ThresholdSource {
    /** The method's default (Evidently's). */
    DEFAULT,
    /** Set by the caller for this feature. */
    CONFIGURED,
    /** Calibrated on chunks of the reference itself ({@link DriftCalibration}). */
    CALIBRATED
  }

  /** Whether the feature drifted. */
  public boolean drifted() {
    return verdict == Verdict.DRIFTED;
  }

  /** A copy with an adjusted p-value and its verdict (after a multiple-testing correction). */
  FeatureDrift withAdjustedPvalue(double adjusted, Verdict newVerdict) {
    return new FeatureDrift(
        feature,
        method,
        statistic,
        pvalue,
        adjusted,
        threshold,
        newVerdict,
        referenceCount,
        currentCount,
        exact,
        errorBound,
        thresholdSource);
  }
}
