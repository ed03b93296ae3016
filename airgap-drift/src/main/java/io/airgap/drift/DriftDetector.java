package io.airgap.drift;

import io.airgap.core.FormatException;
import io.airgap.drift.FeatureDrift.ThresholdSource;
import io.airgap.drift.FeatureDrift.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

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

  /** Ranks at which sketches are read to approximate a Wasserstein distance. */
  private static final int SKETCH_RANKS = 1_000;

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
   * smoothing from {@code options}.
   *
   * @throws FormatException also when a rule names a method the feature's type cannot use
   */
  public static List<FeatureDrift> compare(
      DriftProfile reference, DriftProfile current, DriftOptions options) {
    Set<String> names = new HashSet<>();
    reference.features().forEach(f -> names.add(nameOf(f)));
    for (Object feature : current.features()) {
      if (!names.contains(nameOf(feature))) {
        throw new FormatException(
            "feature " + nameOf(feature) + " is in the current profile only, not in the reference");
      }
    }
    for (Object feature : reference.features()) {
      if (!current.has(nameOf(feature))) {
        throw new FormatException(
            "feature " + nameOf(feature) + " is in the reference only, not in the current profile");
      }
    }
    for (String ruled : options.ruleFeatures()) {
      if (!names.contains(ruled)) {
        throw new FormatException(
            "a method or threshold is set for feature " + ruled + ", which the profile lacks");
      }
    }
    List<FeatureDrift> results = new ArrayList<>();
    for (Object feature : reference.features()) {
      String name = nameOf(feature);
      results.add(compareFeature(feature, current.feature(name), options));
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
   */
  public static DriftMethod defaultMethod(Object referenceFeature, Object currentFeature) {
    boolean small = countOf(referenceFeature) <= SMALL_REFERENCE;
    if (referenceFeature instanceof NumericFeature reference) {
      double[] few =
          FewValues.union(reference.fewValues(), ((NumericFeature) currentFeature).fewValues());
      if (few == null) {
        return small ? DriftMethod.KS : DriftMethod.WASSERSTEIN_NORMED;
      }
      if (!small) {
        return DriftMethod.JENSEN_SHANNON;
      }
      return few.length > 2 ? DriftMethod.CHI_SQUARE : DriftMethod.Z;
    }
    if (!small) {
      return DriftMethod.JENSEN_SHANNON;
    }
    Buckets buckets =
        Buckets.of((CategoricalFeature) referenceFeature, (CategoricalFeature) currentFeature);
    return buckets.size() > 2 ? DriftMethod.CHI_SQUARE : DriftMethod.Z;
  }

  static FeatureDrift compareFeature(Object reference, Object current, DriftOptions options) {
    String name = nameOf(reference);
    if (reference.getClass() != current.getClass()) {
      throw new FormatException(
          "feature " + name + " is numeric on one side and categorical on the other");
    }
    requireValues(name, countOf(reference), countOf(current));
    DriftOptions.Rule rule = options.rule(name).orElse(null);
    DriftMethod method =
        rule != null && rule.method() != null ? rule.method() : defaultMethod(reference, current);
    if (method.numericOnly() && !(reference instanceof NumericFeature)) {
      throw new FormatException(
          "feature " + name + " is categorical; " + method.label() + " needs a numeric feature");
    }
    boolean configured = rule != null && !Double.isNaN(rule.threshold());
    double threshold = configured ? rule.threshold() : method.defaultThreshold();
    ThresholdSource source = configured ? rule.source() : ThresholdSource.DEFAULT;
    if (method.isTest() && threshold >= 1) {
      throw new FormatException(
          "feature " + name + ": a p-value threshold must be below 1, not " + threshold);
    }
    Criterion criterion = new Criterion(method, threshold, source);
    if (method == DriftMethod.KS || method == DriftMethod.WASSERSTEIN_NORMED) {
      return numeric((NumericFeature) reference, (NumericFeature) current, criterion);
    }
    Buckets buckets =
        reference instanceof NumericFeature numeric
            ? Buckets.of(numeric, (NumericFeature) current)
            : Buckets.of((CategoricalFeature) reference, (CategoricalFeature) current);
    return binned(name, buckets, criterion, options.smoothing());
  }

  /** The method and threshold a feature is judged by. */
  private record Criterion(DriftMethod method, double threshold, ThresholdSource source) {
    FeatureDrift result(
        String feature, double statistic, double pvalue, Verdict verdict, Sizes sizes) {
      return new FeatureDrift(
          feature,
          method,
          statistic,
          pvalue,
          threshold,
          verdict,
          sizes.reference,
          sizes.current,
          sizes.exact,
          sizes.errorBound,
          source);
    }

    Verdict judge(double statistic, double pvalue) {
      boolean drifted = method.isTest() ? pvalue < threshold : statistic >= threshold;
      return drifted ? Verdict.DRIFTED : Verdict.STABLE;
    }
  }

  /** Sample sizes and how exact the statistic is. */
  private record Sizes(long reference, long current, boolean exact, double errorBound) {}

  private static FeatureDrift numeric(
      NumericFeature reference, NumericFeature current, Criterion criterion) {
    boolean bothExact = reference.hasExactValues() && current.hasExactValues();
    // A KS test needs two values on each side; a smaller window is measured by distance.
    boolean ksPossible = reference.count() >= 2 && current.count() >= 2;
    if (criterion.method() == DriftMethod.KS && ksPossible) {
      if (bothExact) {
        DriftStatistics.KsResult ks =
            DriftStatistics.ks2Samp(reference.exactValues(), current.exactValues());
        return criterion.result(
            reference.name(),
            ks.statistic(),
            ks.pvalue(),
            criterion.judge(ks.statistic(), ks.pvalue()),
            new Sizes(reference.count(), current.count(), true, 0));
      }
      return sketchKs(reference, current, criterion);
    }
    Criterion wasserstein =
        criterion.method() == DriftMethod.WASSERSTEIN_NORMED
            ? criterion
            : new Criterion(
                DriftMethod.WASSERSTEIN_NORMED, DISTANCE_THRESHOLD, ThresholdSource.DEFAULT);
    double distance;
    if (bothExact) {
      distance = DriftStatistics.normedWasserstein(reference.exactValues(), current.exactValues());
    } else {
      double std = Math.sqrt(reference.variance());
      distance = sketchWasserstein(reference, current) / Math.max(std, 0.001);
    }
    return wasserstein.result(
        reference.name(),
        distance,
        Double.NaN,
        wasserstein.judge(distance, Double.NaN),
        new Sizes(reference.count(), current.count(), bothExact, 0));
  }

  /**
   * KS where at least one side only has its sketch. The statistic is the largest difference of the
   * two CDFs as the sketches (or kept values) give them, read at every retained item of both; the
   * true statistic lies within the sum of the sides' CDF errors of it. The feature drifts only if
   * it drifts at the smallest statistic in that band, is stable only if it is stable at the
   * largest, and is undecided otherwise.
   */
  private static FeatureDrift sketchKs(
      NumericFeature reference, NumericFeature current, Criterion criterion) {
    Cdf ref = Cdf.of(reference);
    Cdf cur = Cdf.of(current);
    TreeSet<Double> points = new TreeSet<>();
    ref.addPoints(points);
    cur.addPoints(points);
    double d = 0;
    for (double x : points) {
      d = Math.max(d, Math.abs(ref.at(x) - cur.at(x)));
    }
    double error = ref.error() + cur.error();
    long n = reference.count();
    long m = current.count();
    double pvalue = DriftStatistics.kolmogorovPvalue(d, n, m);
    double lowest = DriftStatistics.kolmogorovPvalue(Math.min(1, d + error), n, m);
    double highest = DriftStatistics.kolmogorovPvalue(Math.max(0, d - error), n, m);
    return criterion.result(
        reference.name(),
        d,
        pvalue,
        verdict(lowest, highest, criterion.threshold()),
        new Sizes(n, m, false, error));
  }

  /** The verdict of a test whose p-value lies in [lowest, highest]. */
  static Verdict verdict(double lowest, double highest, double threshold) {
    if (highest < threshold) {
      return Verdict.DRIFTED;
    }
    return lowest >= threshold ? Verdict.STABLE : Verdict.UNDECIDED;
  }

  /** A side's CDF: the kept values exactly, or the sketch with its error. */
  private record Cdf(double[] sorted, KllDoublesSketch sketch, double error) {
    static Cdf of(NumericFeature feature) {
      if (feature.hasExactValues()) {
        double[] values = feature.exactValues();
        Arrays.sort(values);
        return new Cdf(values, null, 0);
      }
      return new Cdf(null, feature.sketch(), feature.cdfError());
    }

    void addPoints(TreeSet<Double> points) {
      double[] items = sorted != null ? sorted : sketch.getSortedView().getQuantiles();
      for (double item : items) {
        points.add(item);
      }
    }

    /** The fraction of values at most x. */
    double at(double x) {
      if (sketch != null) {
        return sketch.getRank(x, QuantileSearchCriteria.INCLUSIVE);
      }
      int low = 0;
      int high = sorted.length;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (sorted[mid] <= x) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return (double) low / sorted.length;
    }
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

  private static FeatureDrift binned(
      String feature, Buckets buckets, Criterion criterion, Smoothing smoothing) {
    Sizes sizes = new Sizes(buckets.referenceTotal(), buckets.currentTotal(), true, 0);
    double statistic;
    double pvalue = Double.NaN;
    switch (criterion.method()) {
      case CHI_SQUARE -> {
        DriftStatistics.TestResult chi =
            buckets.size() < 2
                ? new DriftStatistics.TestResult(0, 1)
                : DriftStatistics.chiSquareHomogeneity(buckets.reference(), buckets.current());
        statistic = chi.statistic();
        pvalue = chi.pvalue();
      }
      case Z -> {
        DriftStatistics.TestResult z = zTest(feature, buckets);
        statistic = z.statistic();
        pvalue = z.pvalue();
      }
      default -> statistic = distance(criterion.method(), buckets, smoothing);
    }
    return criterion.result(feature, statistic, pvalue, criterion.judge(statistic, pvalue), sizes);
  }

  private static DriftStatistics.TestResult zTest(String feature, Buckets buckets) {
    if (buckets.size() > 2) {
      throw new FormatException(
          "feature "
              + feature
              + " has "
              + buckets.size()
              + " values; the Z-test compares at most 2");
    }
    if (buckets.size() < 2) {
      // Both sides hold the same single value: nothing to compare (Evidently's p = 1).
      return new DriftStatistics.TestResult(0, 1);
    }
    return DriftStatistics.twoProportionZ(
        buckets.reference()[0],
        buckets.referenceTotal(),
        buckets.current()[0],
        buckets.currentTotal());
  }

  private static double distance(DriftMethod method, Buckets buckets, Smoothing smoothing) {
    boolean raw =
        smoothing == Smoothing.EVIDENTLY
            && (method == DriftMethod.JENSEN_SHANNON || method == DriftMethod.HELLINGER);
    double[] p = raw ? proportions(buckets.reference()) : smoothed(buckets.reference(), smoothing);
    double[] q = raw ? proportions(buckets.current()) : smoothed(buckets.current(), smoothing);
    return switch (method) {
      case JENSEN_SHANNON -> DriftStatistics.jensenShannon(p, q, false);
      case PSI -> DriftStatistics.psi(p, q);
      case KL_DIVERGENCE -> DriftStatistics.klDivergence(p, q);
      case HELLINGER -> DriftStatistics.hellinger(p, q);
      default -> throw new IllegalArgumentException(method + " is not a binned distance");
    };
  }

  private static double[] proportions(long[] counts) {
    double total = Arrays.stream(counts).sum();
    return Arrays.stream(counts).mapToDouble(c -> c / total).toArray();
  }

  /**
   * Proportions per bucket with no bucket empty: Laplace smoothing (add one half to every count),
   * or Evidently's floor.
   */
  static double[] smoothed(long[] counts, Smoothing smoothing) {
    double total = Arrays.stream(counts).sum();
    double[] proportions = new double[counts.length];
    if (smoothing == Smoothing.EVIDENTLY) {
      double smallest = Double.POSITIVE_INFINITY;
      for (int i = 0; i < counts.length; i++) {
        proportions[i] = counts[i] / total;
        if (counts[i] > 0) {
          smallest = Math.min(smallest, proportions[i]);
        }
      }
      double floor = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] == 0) {
          proportions[i] = floor;
        }
      }
      return proportions;
    }
    double smoothedTotal = total + 0.5 * counts.length;
    for (int i = 0; i < counts.length; i++) {
      proportions[i] = (counts[i] + 0.5) / smoothedTotal;
    }
    return proportions;
  }

  /**
   * Counts per bucket on both sides, keeping only buckets seen on at least one side (a bucket empty
   * on both carries no information, and Evidently's value counts never list it). Buckets are the
   * categories and "other", the few distinct values of a numeric feature with at most five, or its
   * frozen bins.
   */
  record Buckets(long[] reference, long[] current) {
    static Buckets of(CategoricalFeature reference, CategoricalFeature current) {
      return seen(reference.counts(), current.counts());
    }

    static Buckets of(NumericFeature reference, NumericFeature current) {
      double[] few = FewValues.union(reference.fewValues(), current.fewValues());
      if (few != null) {
        return seen(reference.fewValues().counts(few), current.fewValues().counts(few));
      }
      return seen(reference.binCounts(), current.binCounts());
    }

    private static Buckets seen(long[] reference, long[] current) {
      int kept = 0;
      for (int i = 0; i < reference.length; i++) {
        if (reference[i] + current[i] > 0) {
          kept++;
        }
      }
      long[] ref = new long[kept];
      long[] cur = new long[kept];
      int k = 0;
      for (int i = 0; i < reference.length; i++) {
        if (reference[i] + current[i] > 0) {
          ref[k] = reference[i];
          cur[k++] = current[i];
        }
      }
      return new Buckets(ref, cur);
    }

    int size() {
      return reference.length;
    }

    long referenceTotal() {
      return Arrays.stream(reference).sum();
    }

    long currentTotal() {
      return Arrays.stream(current).sum();
    }
  }

  static String nameOf(Object feature) {
    return feature instanceof NumericFeature n ? n.name() : ((CategoricalFeature) feature).name();
  }

  private static long countOf(Object feature) {
    return feature instanceof NumericFeature n ? n.count() : ((CategoricalFeature) feature).count();
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
