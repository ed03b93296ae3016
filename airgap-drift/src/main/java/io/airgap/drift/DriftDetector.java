package io.airgap.drift;

import io.airgap.core.FormatException;
import io.airgap.drift.FeatureDrift.ThresholdSource;
import io.airgap.drift.FeatureDrift.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Compares a current profile with its reference, feature by feature, choosing the method as
 * Evidently's default does ({@link #defaultMethod}) unless {@link DriftOptions} say otherwise. The
 * dataset drifts when at least half of its features do. Stateless and thread-safe.
 */
public final class DriftDetector {
  /** Evidently's size limit for the statistical tests. */
  public static final long SMALL_REFERENCE = 1_000;

  /** p-value threshold of the tests. */
  public static final double P_THRESHOLD = 0.05;

  /** Threshold of the distances. */
  public static final double DISTANCE_THRESHOLD = 0.1;

  private DriftDetector() {}

  /** How empty buckets are handled before a distance between bucket proportions. */
  public enum Smoothing {
    /** Add one half to every count (the default): no bucket is empty, totals barely move. */
    LAPLACE,
    /**
     * As Evidently does, for parity with its numbers: Jensen-Shannon and Hellinger take the raw
     * proportions (both are defined with empty buckets); for PSI and KL divergence, on each side an
     * empty bucket's proportion becomes 0.0001, or a millionth of the smallest non-empty proportion
     * when that is at most 0.0001, and the others are kept.
     */
    EVIDENTLY
  }

  /**
   * Compares every feature of {@code current} with {@code reference} with Evidently's defaults.
   *
   * @throws FormatException when the profiles do not have the same features and frozen bins, or a
   *     side has no value of a feature
   */
  public static List<FeatureDrift> compare(DriftProfile reference, DriftProfile current) {
    return compare(reference, current, DriftOptions.defaults());
  }

  /**
   * Compares as {@link #compare(DriftProfile, DriftProfile)}, with methods, thresholds and
   * smoothing from {@code options}. The results carry each test's own p-value, not yet corrected
   * for testing many features ({@link MultipleTesting}).
   *
   * @throws FormatException also when a rule names a method the feature's type cannot use
   */
  public static List<FeatureDrift> compare(
      DriftProfile reference, DriftProfile current, DriftOptions options) {
    Set<String> names = new HashSet<>(reference.names());
    for (String name : current.names()) {
      if (!names.contains(name)) {
        throw new FormatException(
            "feature " + name + " is in the current profile only, not in the reference");
      }
    }
    for (String name : reference.names()) {
      if (!current.has(name)) {
        throw new FormatException(
            "feature " + name + " is in the reference only, not in the current profile");
      }
    }
    for (String ruled : options.ruleFeatures()) {
      if (!names.contains(ruled)) {
        throw new FormatException(
            "a method or threshold is set for feature " + ruled + ", which the profile lacks");
      }
    }
    List<FeatureDrift> results = new ArrayList<>();
    for (FeatureProfile feature : reference.features()) {
      results.add(compareFeature(feature, current.feature(feature.name()), options));
    }
    return results;
  }

  /** Whether at least half of the features drifted. */
  public static boolean datasetDrifted(List<FeatureDrift> features) {
    long drifted = features.stream().filter(FeatureDrift::drifted).count();
    return !features.isEmpty() && drifted * 2 >= features.size();
  }

  /**
   * The method Evidently chooses by default, from the reference's size and the number of distinct
   * values on both sides together: with at most 1,000 reference values, a numeric feature with more
   * than 5 values gets KS, one with 3 to 5 values (or a categorical feature with more than 2)
   * chi-square, and one with at most 2 the Z-test; with more, a numeric feature gets the normed
   * Wasserstein distance, unless it has at most 5 values, and a categorical feature gets
   * Jensen-Shannon. The "other" bucket of a categorical feature counts as one value.
   *
   * @throws FormatException when the two profiles are not of the same kind
   */
  public static DriftMethod defaultMethod(
      FeatureProfile referenceFeature, FeatureProfile currentFeature) {
    requireSameKind(referenceFeature, currentFeature);
    boolean small = referenceFeature.count() <= SMALL_REFERENCE;
    // A numeric feature with at most five distinct values is compared as a categorical one.
    boolean continuous =
        referenceFeature.match(
            reference ->
                FewValues.union(
                        reference.fewValues(), ((NumericFeature) currentFeature).fewValues())
                    == null,
            categorical -> false);
    if (continuous) {
      return small ? DriftMethod.KS : DriftMethod.WASSERSTEIN_NORMED;
    }
    if (!small) {
      return DriftMethod.JENSEN_SHANNON;
    }
    return DriftMeasures.Buckets.of(referenceFeature, currentFeature).size() > 2
        ? DriftMethod.CHI_SQUARE
        : DriftMethod.Z;
  }

  /**
   * Compares one feature: the rule's method or the default one, judged by the rule's threshold or
   * the method's default. The result's adjusted p-value is its own p-value (no correction yet).
   */
  static FeatureDrift compareFeature(
      FeatureProfile reference, FeatureProfile current, DriftOptions options) {
    String name = reference.name();
    requireSameKind(reference, current);
    requireValues(name, reference.count(), current.count());
    DriftOptions.Rule rule = options.rule(name).orElse(null);
    DriftMethod method =
        rule != null && rule.method() != null ? rule.method() : defaultMethod(reference, current);
    boolean configured = rule != null && !Double.isNaN(rule.threshold());
    double threshold = configured ? rule.threshold() : method.defaultThreshold();
    ThresholdSource source = configured ? rule.source() : ThresholdSource.DEFAULT;
    if (method.isTest() && threshold >= 1) {
      throw new FormatException(
          "feature " + name + ": a p-value threshold must be below 1, not " + threshold);
    }
    DriftMeasures.Measurement m = method.measure(reference, current, options.smoothing());
    if (m.method() != method) { // handed over: judged by the other method's default threshold
      threshold = m.method().defaultThreshold();
      source = ThresholdSource.DEFAULT;
    }
    Verdict verdict =
        m.method().isTest()
            ? verdict(m.lowestPvalue(), m.highestPvalue(), threshold)
            : m.statistic() >= threshold ? Verdict.DRIFTED : Verdict.STABLE;
    return new FeatureDrift(
        name,
        m.method(),
        m.statistic(),
        m.pvalue(),
        m.pvalue(),
        threshold,
        verdict,
        m.referenceCount(),
        m.currentCount(),
        m.exact(),
        m.errorBound(),
        source);
  }

  /** The verdict of a test whose p-value lies in [lowest, highest]. */
  static Verdict verdict(double lowest, double highest, double threshold) {
    if (highest < threshold) {
      return Verdict.DRIFTED;
    }
    return lowest >= threshold ? Verdict.STABLE : Verdict.UNDECIDED;
  }

  private static void requireSameKind(FeatureProfile reference, FeatureProfile current) {
    if (reference.getClass() != current.getClass()) {
      throw new FormatException(
          "feature " + reference.name() + " is numeric on one side and categorical on the other");
    }
  }

  private static void requireValues(String feature, long reference, long current) {
    if (reference == 0 || current == 0) {
      throw new FormatException(
          "feature "
              + feature
              + " has no value on the "
              + (reference == 0 ? "reference" : "current")
              + " side; it cannot be compared");
    }
  }
}
