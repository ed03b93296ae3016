package io.airgap.drift;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The tests and distances a feature can be compared with, named as Evidently names them. A test
 * drifts when its p-value is below the threshold, a distance when it reaches the threshold.
 */
public enum DriftMethod {
  /** Two-sample Kolmogorov-Smirnov test (numeric). */
  KS("ks", true, 0.05),
  /** Chi-square test of homogeneity over categories or few numeric values. */
  CHI_SQUARE("chisquare", true, 0.05),
  /** Two-proportion Z-test, for at most two categories or numeric values. */
  Z("z", true, 0.05),
  /** Wasserstein distance divided by the reference standard deviation (numeric). */
  WASSERSTEIN_NORMED("wasserstein_normed", false, 0.1),
  /** Jensen-Shannon distance, natural logarithm, over buckets. */
  JENSEN_SHANNON("jensenshannon", false, 0.1),
  /** Population stability index over buckets. */
  PSI("psi", false, 0.1),
  /** Kullback-Leibler divergence KL(current || reference) over buckets. */
  KL_DIVERGENCE("kl_div", false, 0.1),
  /** Hellinger distance over buckets. */
  HELLINGER("hellinger", false, 0.1);

  private final String label;
  private final boolean test;
  private final double defaultThreshold;

  DriftMethod(String label, boolean test, double defaultThreshold) {
    this.label = label;
    this.test = test;
    this.defaultThreshold = defaultThreshold;
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
    return this == KS || this == WASSERSTEIN_NORMED;
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
