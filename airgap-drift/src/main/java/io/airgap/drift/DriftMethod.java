package io.airgap.drift;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tests and distances a feature can be compared with, named as Evidently names them. A test
 * drifts when its p-value is below the threshold, a distance when it reaches the threshold. Each
 * constant carries the function that computes it from two feature profiles, so a new method is one
 * constant and one function.
 */
public enum DriftMethod {
  /** Two-sample Kolmogorov-Smirnov test (numeric). */
  KS("ks", true, true, DriftMeasures::ks, DriftStatistics::kolmogorovPvalue),
  /** Chi-square test of homogeneity over categories or few numeric values. */
  CHI_SQUARE("chisquare", true, false, DriftMeasures::chiSquare, null),
  /** Two-proportion Z-test, for at most two categories or numeric values. */
  Z("z", true, false, DriftMeasures::z, null),
  /** Wasserstein distance divided by the reference standard deviation (numeric). */
  WASSERSTEIN_NORMED("wasserstein_normed", false, true, DriftMeasures::wassersteinNormed, null),
  /** Jensen-Shannon distance, natural logarithm, over buckets. */
  JENSEN_SHANNON(
      "jensenshannon",
      false,
      false,
      DriftMeasures.overBuckets(true, (p, q) -> DriftStatistics.jensenShannon(p, q, false)),
      null),
  /** Population stability index over buckets. */
  PSI("psi", false, false, DriftMeasures.overBuckets(false, DriftStatistics::psi), null),
  /** Kullback-Leibler divergence KL(current || reference) over buckets. */
  KL_DIVERGENCE(
      "kl_div",
      false,
      false,
      DriftMeasures.overBuckets(false, DriftStatistics::klDivergence),
      null),
  /** Hellinger distance over buckets. */
  HELLINGER(
      "hellinger", false, false, DriftMeasures.overBuckets(true, DriftStatistics::hellinger), null);

  /** Computes a method's statistic for one feature whose two sides are of the same kind. */
  @FunctionalInterface
  interface Measure {
    DriftMeasures.Measurement apply(
        DriftMethod method,
        FeatureProfile reference,
        FeatureProfile current,
        DriftDetector.Smoothing smoothing);
  }

  /** A test's p-value at a statistic, for sample sizes n and m. */
  @FunctionalInterface
  interface PvalueAt {
    double apply(double statistic, long n, long m);
  }

  private final String label;
  private final boolean test;
  private final double defaultThreshold;
  private final boolean numericOnly;
  private final Measure measure;
  private final PvalueAt pvalueAt;

  DriftMethod(String label, boolean test, boolean numericOnly, Measure measure, PvalueAt pvalueAt) {
    this.label = label;
    this.test = test;
    this.defaultThreshold = test ? DriftDetector.P_THRESHOLD : DriftDetector.DISTANCE_THRESHOLD;
    this.numericOnly = numericOnly;
    this.measure = measure;
    this.pvalueAt = pvalueAt;
  }

  /** The name used in reports, JSON and on the command line, for example {@code ks}. */
  public String label() {
    return label;
  }

  /** Whether this is a statistical test with a p-value (else a distance). */
  public boolean isTest() {
    return test;
  }

  /** Evidently's default threshold: 0.05 for a p-value, 0.1 for a distance. */
  public double defaultThreshold() {
    return defaultThreshold;
  }

  /** Whether the method needs the values' order, so it applies to numeric features only. */
  public boolean numericOnly() {
    return numericOnly;
  }

  /**
   * This method's statistic for one feature. A method may hand over to another where it cannot
   * apply (KS with fewer than two values on a side is measured by the normed Wasserstein distance);
   * the measurement names the method used.
   */
  DriftMeasures.Measurement measure(
      FeatureProfile reference, FeatureProfile current, DriftDetector.Smoothing smoothing) {
    return measure.apply(this, reference, current, smoothing);
  }

  /**
   * The p-value this test gives at another statistic with the same sample sizes, for the ends of a
   * statistic known only within an error bound (a statistic read from sketches).
   *
   * @throws IllegalStateException for a method whose statistic carries no error bound
   */
  double pvalueAt(double statistic, long referenceCount, long currentCount) {
    if (pvalueAt == null) {
      throw new IllegalStateException(label + " has no p-value at another statistic");
    }
    return pvalueAt.apply(statistic, referenceCount, currentCount);
  }

  /**
   * The p-values at the two ends of {@code statistic ± error} (a statistic between 0 and 1, such as
   * KS's D): {@code [lowest, highest]}, the lowest at the largest statistic.
   */
  double[] pvalueBand(double statistic, double error, long referenceCount, long currentCount) {
    return new double[] {
      pvalueAt(Math.min(1, statistic + error), referenceCount, currentCount),
      pvalueAt(Math.max(0, statistic - error), referenceCount, currentCount)
    };
  }

  /**
   * The method with the given label.
   *
   * @throws IllegalArgumentException listing the known labels
   */
  public static DriftMethod fromLabel(String label) {
    for (DriftMethod method : values()) {
      if (method.label.equals(label.toLowerCase(Locale.ROOT))) {
        return method;
      }
    }
    throw new IllegalArgumentException(
        "unknown drift method '"
            + label
            + "'; known: "
            + Arrays.stream(values()).map(DriftMethod::label).collect(Collectors.joining(", ")));
  }
}
