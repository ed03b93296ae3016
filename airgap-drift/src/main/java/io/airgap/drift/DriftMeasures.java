package io.airgap.drift;

import io.airgap.core.FormatException;
import io.airgap.drift.DriftDetector.Smoothing;
import java.util.Arrays;
import java.util.TreeSet;
import java.util.function.ToDoubleBiFunction;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The function behind each {@link DriftMethod}: its statistic (and p-value for a test) for one
 * feature, from the reference and current profiles, exactly from kept values where both sides have
 * them, else from the sketches or the frozen buckets. Stateless and thread-safe.
 */
final class DriftMeasures {
  /** Ranks at which sketches are read to approximate a Wasserstein distance. */
  private static final int SKETCH_RANKS = 1_000;

  private DriftMeasures() {}

  /**
   * A method's outcome for one feature, before any threshold.
   *
   * @param method the method that measured (another than asked when it handed over)
   * @param statistic the test statistic or distance
   * @param pvalue the test's p-value, NaN for a distance
   * @param lowestPvalue the smallest p-value the statistic's error band allows (else the p-value)
   * @param highestPvalue the largest p-value the statistic's error band allows (else the p-value)
   * @param referenceCount values compared on the reference side
   * @param currentCount values compared on the current side
   * @param exact whether the statistic was computed from the values themselves
   * @param errorBound how far the statistic may be from the exact one (0 when exact or unknown)
   */
  record Measurement(
      DriftMethod method,
      double statistic,
      double pvalue,
      double lowestPvalue,
      double highestPvalue,
      long referenceCount,
      long currentCount,
      boolean exact,
      double errorBound) {
    static Measurement exact(DriftMethod method, double statistic, double pvalue, long n, long m) {
      return new Measurement(method, statistic, pvalue, pvalue, pvalue, n, m, true, 0);
    }
  }

  /** KS: exact (scipy's ks_2samp) when both sides keep their values, else from the sketches. */
  static Measurement ks(
      DriftMethod method, FeatureProfile reference, FeatureProfile current, Smoothing smoothing) {
    NumericFeature ref = numeric(method, reference);
    NumericFeature cur = numeric(method, current);
    // A KS test needs two values on each side; a smaller window is measured by distance.
    if (ref.count() < 2 || cur.count() < 2) {
      return DriftMethod.WASSERSTEIN_NORMED.measure(reference, current, smoothing);
    }
    if (ref.hasExactValues() && cur.hasExactValues()) {
      DriftStatistics.KsResult ks = DriftStatistics.ks2Samp(ref.exactValues(), cur.exactValues());
      return Measurement.exact(method, ks.statistic(), ks.pvalue(), ref.count(), cur.count());
    }
    return sketchKs(method, ref, cur);
  }

  /**
   * KS where at least one side only has its sketch. The statistic is the largest difference of the
   * two CDFs as the sketches (or kept values) give them, read at every retained item of both; the
   * true statistic lies within the sum of the sides' CDF errors of it, and so the p-value within
   * the p-values at the ends of that band.
   */
  private static Measurement sketchKs(
      DriftMethod method, NumericFeature reference, NumericFeature current) {
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
    double[] band = method.pvalueBand(d, error, n, m);
    return new Measurement(
        method, d, method.pvalueAt(d, n, m), band[0], band[1], n, m, false, error);
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

  /** W1 divided by the reference's standard deviation: exact, or read from the sketches. */
  static Measurement wassersteinNormed(
      DriftMethod method, FeatureProfile reference, FeatureProfile current, Smoothing smoothing) {
    NumericFeature ref = numeric(method, reference);
    NumericFeature cur = numeric(method, current);
    boolean bothExact = ref.hasExactValues() && cur.hasExactValues();
    double distance;
    if (bothExact) {
      distance = DriftStatistics.normedWasserstein(ref.exactValues(), cur.exactValues());
    } else {
      double std = Math.sqrt(ref.variance());
      distance = sketchWasserstein(ref, cur) / Math.max(std, 0.001);
    }
    return new Measurement(
        method,
        distance,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        ref.count(),
        cur.count(),
        bothExact,
        0);
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

  /** Chi-square test of homogeneity over the buckets seen (p = 1 with a single bucket). */
  static Measurement chiSquare(
      DriftMethod method, FeatureProfile reference, FeatureProfile current, Smoothing smoothing) {
    Buckets buckets = Buckets.of(reference, current);
    DriftStatistics.TestResult chi =
        buckets.size() < 2
            ? new DriftStatistics.TestResult(0, 1)
            : DriftStatistics.chiSquareHomogeneity(buckets.reference(), buckets.current());
    return buckets.measured(method, chi.statistic(), chi.pvalue());
  }

  /** Two-proportion Z-test over at most two buckets. */
  static Measurement z(
      DriftMethod method, FeatureProfile reference, FeatureProfile current, Smoothing smoothing) {
    Buckets buckets = Buckets.of(reference, current);
    if (buckets.size() > 2) {
      throw new FormatException(
          "feature "
              + reference.name()
              + " has "
              + buckets.size()
              + " values; the Z-test compares at most 2");
    }
    if (buckets.size() < 2) {
      // Both sides hold the same single value: nothing to compare (Evidently's p = 1).
      return buckets.measured(method, 0, 1);
    }
    DriftStatistics.TestResult z =
        DriftStatistics.twoProportionZ(
            buckets.reference()[0],
            buckets.referenceTotal(),
            buckets.current()[0],
            buckets.currentTotal());
    return buckets.measured(method, z.statistic(), z.pvalue());
  }

  /**
   * A distance between the two sides' bucket proportions, smoothed so that no bucket is empty; with
   * {@link Smoothing#EVIDENTLY}, a distance defined with empty buckets ({@code definedWhenEmpty}:
   * Jensen-Shannon, Hellinger) takes the raw proportions, as Evidently does.
   */
  static DriftMethod.Measure overBuckets(
      boolean definedWhenEmpty, ToDoubleBiFunction<double[], double[]> distance) {
    return (method, reference, current, smoothing) -> {
      Buckets buckets = Buckets.of(reference, current);
      boolean raw = definedWhenEmpty && smoothing == Smoothing.EVIDENTLY;
      double[] p =
          raw ? proportions(buckets.reference()) : smoothed(buckets.reference(), smoothing);
      double[] q = raw ? proportions(buckets.current()) : smoothed(buckets.current(), smoothing);
      return buckets.measured(method, distance.applyAsDouble(p, q), Double.NaN);
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

  /** The feature as numeric, for a method that needs the values' order. */
  static NumericFeature numeric(DriftMethod method, FeatureProfile feature) {
    return feature.match(
        n -> n,
        c -> {
          throw new FormatException(
              "feature "
                  + c.name()
                  + " is categorical; "
                  + method.label()
                  + " needs a numeric feature");
        });
  }

  /**
   * Counts per bucket on both sides, keeping only buckets seen on at least one side (a bucket empty
   * on both carries no information, and Evidently's value counts never list it). Buckets are the
   * categories and "other", the few distinct values of a numeric feature with at most five, or its
   * frozen bins.
   */
  record Buckets(long[] reference, long[] current) {
    /** The buckets of two profiles of the same kind. */
    static Buckets of(FeatureProfile reference, FeatureProfile current) {
      return reference.match(
          numeric -> of(numeric, (NumericFeature) current),
          categorical -> seen(categorical.counts(), ((CategoricalFeature) current).counts()));
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

    Measurement measured(DriftMethod method, double statistic, double pvalue) {
      return Measurement.exact(method, statistic, pvalue, referenceTotal(), currentTotal());
    }
  }
}
