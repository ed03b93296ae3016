package io.airgap.core.drift;

import io.airgap.core.FormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Compares a current profile with its reference, feature by feature, choosing the method as
 * Evidently does by default: with at most 1,000 reference values, the two-sample KS test for a
 * numeric feature with more than 5 distinct values, the chi-square test for a categorical feature
 * with more than 2 categories and the two-proportion Z-test for a binary one (p below 0.05 drifts);
 * with more, the normed Wasserstein distance for numeric and the Jensen-Shannon distance for
 * categorical features (0.1 or more drifts). The dataset drifts when at least half of its features
 * do. Stateless and thread-safe.
 */
public final class DriftDetector {
  /** Evidently's size limit for the statistical tests. */
  public static final long SMALL_REFERENCE = 1_000;

  /** p-value threshold of the tests. */
  public static final double P_THRESHOLD = 0.05;

  /** Threshold of the distances. */
  public static final double DISTANCE_THRESHOLD = 0.1;

  /** Ranks at which sketches are read to approximate a Wasserstein distance. */
  private static final int SKETCH_RANKS = 1_000;

  private DriftDetector() {}

  /** How empty buckets are handled before a distance between bucket proportions. */
  public enum Smoothing {
    /** Add one half to every count (the default): no bucket is empty, totals barely move. */
    LAPLACE,
    /** Evidently's rule: an empty bucket's proportion becomes 0.0001, the others are kept. */
    EVIDENTLY_FLOOR
  }

  /**
   * Compares every feature of {@code current} with {@code reference}.
   *
   * @throws FormatException when the profiles do not have the same features and frozen bins
   */
  public static List<FeatureDrift> compare(DriftProfile reference, DriftProfile current) {
    return compare(reference, current, Smoothing.LAPLACE);
  }

  /** Compares as {@link #compare(DriftProfile, DriftProfile)}, with the given smoothing. */
  public static List<FeatureDrift> compare(
      DriftProfile reference, DriftProfile current, Smoothing smoothing) {
    List<FeatureDrift> results = new ArrayList<>();
    for (Object feature : reference.features()) {
      if (feature instanceof NumericFeature numeric) {
        results.add(numeric(numeric, (NumericFeature) current.feature(numeric.name())));
      } else {
        CategoricalFeature categorical = (CategoricalFeature) feature;
        results.add(
            categorical(
                categorical, (CategoricalFeature) current.feature(categorical.name()), smoothing));
      }
    }
    return results;
  }

  /** Whether at least half of the features drifted. */
  public static boolean datasetDrifted(List<FeatureDrift> features) {
    long drifted = features.stream().filter(FeatureDrift::drifted).count();
    return !features.isEmpty() && drifted * 2 >= features.size();
  }

  static FeatureDrift numeric(NumericFeature reference, NumericFeature current) {
    requireValues(reference.name(), reference.count(), current.count());
    boolean bothExact = reference.hasExactValues() && current.hasExactValues();
    if (reference.count() <= SMALL_REFERENCE
        && bothExact
        && current.count() >= 2
        && distinct(reference.exactValues()) > 5) {
      DriftStatistics.KsResult ks =
          DriftStatistics.ks2Samp(reference.exactValues(), current.exactValues());
      return new FeatureDrift(
          reference.name(),
          "ks",
          ks.statistic(),
          ks.pvalue(),
          P_THRESHOLD,
          ks.pvalue() < P_THRESHOLD,
          reference.count(),
          current.count(),
          true);
    }
    double distance;
    if (bothExact) {
      distance = DriftStatistics.normedWasserstein(reference.exactValues(), current.exactValues());
    } else {
      double std = Math.sqrt(reference.variance());
      distance = sketchWasserstein(reference, current) / Math.max(std, 0.001);
    }
    return new FeatureDrift(
        reference.name(),
        "wasserstein_normed",
        distance,
        Double.NaN,
        DISTANCE_THRESHOLD,
        distance >= DISTANCE_THRESHOLD,
        reference.count(),
        current.count(),
        bothExact);
  }

  /** W1 as the mean absolute difference of the quantile functions, read from the two sketches. */
  private static double sketchWasserstein(NumericFeature reference, NumericFeature current) {
    double sum = 0;
    for (int i = 0; i < SKETCH_RANKS; i++) {
      double rank = (i + 0.5) / SKETCH_RANKS;
      sum += Math.abs(reference.quantile(rank) - current.quantile(rank));
    }
    return sum / SKETCH_RANKS;
  }

  static FeatureDrift categorical(
      CategoricalFeature reference, CategoricalFeature current, Smoothing smoothing) {
    long[] ref = reference.counts();
    long[] cur = current.counts();
    requireValues(reference.name(), reference.count(), current.count());
    int categories =
        (int) Arrays.stream(ref).filter(c -> c > 0).count()
            + (ref[ref.length - 1] == 0 && cur[cur.length - 1] > 0 ? 1 : 0);
    if (reference.count() <= SMALL_REFERENCE
        && categories == 2
        && ref.length == 3
        && ref[2] == 0
        && cur[2] == 0) {
      DriftStatistics.TestResult z =
          DriftStatistics.twoProportionZ(ref[0], reference.count(), cur[0], current.count());
      return new FeatureDrift(
          reference.name(),
          "z",
          z.statistic(),
          z.pvalue(),
          P_THRESHOLD,
          z.pvalue() < P_THRESHOLD,
          reference.count(),
          current.count(),
          true);
    }
    if (reference.count() <= SMALL_REFERENCE && categories > 2) {
      DriftStatistics.TestResult chi = DriftStatistics.chiSquareHomogeneity(ref, cur);
      return new FeatureDrift(
          reference.name(),
          "chisquare",
          chi.statistic(),
          chi.pvalue(),
          P_THRESHOLD,
          chi.pvalue() < P_THRESHOLD,
          reference.count(),
          current.count(),
          true);
    }
    double distance =
        DriftStatistics.jensenShannon(smoothed(ref, smoothing), smoothed(cur, smoothing), false);
    return new FeatureDrift(
        reference.name(),
        "jensenshannon",
        distance,
        Double.NaN,
        DISTANCE_THRESHOLD,
        distance >= DISTANCE_THRESHOLD,
        reference.count(),
        current.count(),
        true);
  }

  /**
   * Proportions with Laplace smoothing (add one half to every bucket), so no bucket is empty:
   * documented default; Evidently floors empty buckets at 0.0001 instead.
   */
  static double[] smoothed(long[] counts, Smoothing smoothing) {
    if (smoothing == Smoothing.EVIDENTLY_FLOOR) {
      double total = 0;
      for (long count : counts) {
        total += count;
      }
      double[] proportions = new double[counts.length];
      for (int i = 0; i < counts.length; i++) {
        proportions[i] = counts[i] == 0 ? 0.0001 : counts[i] / total;
      }
      return proportions;
    }
    double total = 0;
    for (long count : counts) {
      total += count + 0.5;
    }
    double[] proportions = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      proportions[i] = (counts[i] + 0.5) / total;
    }
    return proportions;
  }

  private static long distinct(double[] values) {
    return Arrays.stream(values).distinct().count();
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
