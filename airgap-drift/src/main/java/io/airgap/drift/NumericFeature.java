package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.function.Function;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * What one numeric feature looked like: counts of values, missing, NaN and infinite entries, the
 * mean and variance (Welford), minimum and maximum, counts per frozen bin, a KLL quantile sketch,
 * and, while there are at most {@code exactLimit} finite values, the values themselves (so tests on
 * small samples are exact). Constant memory past the limit. Not thread-safe; merge instances filled
 * by different threads or hosts with {@link #merge}.
 */
public final class NumericFeature implements FeatureProfile {
  /** The KLL accuracy parameter: about 1.3% normalized rank error, a few KiB per sketch. */
  public static final int KLL_K = 200;

  /** Values kept exactly by default (well above Evidently's 1,000-row rule). */
  public static final int DEFAULT_EXACT_LIMIT = 10_000;

  /** Values buffered before a bulk sketch update. */
  private static final int PENDING = 128;

  /** What {@link #exactValues()} says past the limit. */
  private static final String PAST_LIMIT =
      "feature %s has more than %d values; only its sketch" + " remains";

  private final String name;
  private final NumericBins bins;
  private final int exactLimit;
  private final long[] binCounts;
  private KllDoublesSketch sketch;

  /**
   * Finite values not yet in the sketch, filled from the end: one bulk update per {@link #PENDING}
   * values costs less than a call per value on the hot path, and filling backwards leaves the
   * sketch's level 0 in the order single updates would (so a profile serializes as before).
   */
  private final double[] pending = new double[PENDING];

  private int pendingFrom = PENDING;
  private ExactValues exact;
  private FewValues few = new FewValues();
  private long count;
  private long missing;
  private long nan;
  private long infinite;
  private long invalid;
  private double mean;
  private double m2;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  /** An empty profile with the given frozen bins. */
  public NumericFeature(String name, NumericBins bins, int exactLimit) {
    this.name = name;
    this.bins = bins;
    this.exactLimit = exactLimit;
    this.binCounts = new long[bins.count()];
    this.sketch = KllDoublesSketch.newHeapInstance(KLL_K);
    this.exact = new ExactValues(exactLimit);
  }

  /** Records one value: a finite value is binned and sketched, NaN and infinities only counted. */
  public void add(double value) {
    if (Double.isNaN(value)) {
      nan++;
      return;
    }
    if (Double.isInfinite(value)) {
      infinite++;
      return;
    }
    pending[--pendingFrom] = value;
    if (pendingFrom == 0) {
      flushPending();
    }
    record(value);
  }

  /**
   * Records the values of a reference column whose finite values {@code sketched} already holds
   * (the pass that froze the bins from it), taking that sketch rather than sketching every value a
   * second time: on a large reference the sketch is most of the cost. Only on an empty profile.
   */
  void addSketched(double[] values, KllDoublesSketch sketched) {
    if (count + nan + infinite > 0 || sketched.getK() != KLL_K) {
      throw new IllegalStateException("a sketched column goes into an empty profile, k = " + KLL_K);
    }
    for (double value : values) {
      if (Double.isNaN(value)) {
        nan++;
      } else if (Double.isInfinite(value)) {
        infinite++;
      } else {
        record(value);
      }
    }
    if (sketched.getN() != count) {
      throw new IllegalStateException("the sketch holds other values than the column");
    }
    sketch = sketched;
  }

  /** Everything but the sketch for one finite value: bin, count, Welford, range, exact, few. */
  private void record(double value) {
    binCounts[bins.bin(value)]++;
    count++;
    double delta = value - mean;
    mean += delta / count;
    m2 += delta * (value - mean);
    if (value < min) {
      min = value;
    }
    if (value > max) {
      max = value;
    }
    exact.add(value);
    few.add(value);
  }

  private void flushPending() {
    if (pendingFrom < PENDING) {
      sketch.update(pending, pendingFrom, PENDING - pendingFrom);
      pendingFrom = PENDING;
    }
  }

  /** The sketch with every recorded value in it. */
  private KllDoublesSketch sketchNow() {
    flushPending();
    return sketch;
  }

  /** Records a missing entry (an empty cell, a null). */
  @Override
  public void addMissing() {
    missing++;
  }

  /** Records an entry that is not a number at all (text in a numeric CSV column). */
  public void addInvalid() {
    invalid++;
  }

  /** Sets the invalid count of a restored profile. */
  void restoreInvalid(long count) {
    invalid = count;
  }

  /** Entries that were not numbers. */
  public long invalid() {
    return invalid;
  }

  /** An empty profile of this feature with the same frozen bins and exact limit. */
  @Override
  public NumericFeature newLive() {
    return new NumericFeature(name, bins, exactLimit);
  }

  /** Whether {@code other} is a numeric profile of this feature over the same frozen bins. */
  @Override
  public boolean hasSameBuckets(FeatureProfile other) {
    return other.match(that -> name.equals(that.name) && bins.equals(that.bins), c -> false);
  }

  /**
   * Adds another profile of the same feature with the same frozen bins: counts add, the sketches
   * merge, mean and variance combine exactly (Chan et al.).
   *
   * @throws FormatException when the feature, its kind or the bins differ; nothing is merged then
   */
  @Override
  public void merge(FeatureProfile profile) {
    if (!hasSameBuckets(profile)) {
      throw new FormatException(
          "cannot merge "
              + describe(profile)
              + " into "
              + name
              + " "
              + bins
              + ": only profiles with the same frozen bins add up");
    }
    NumericFeature other = profile.match(n -> n, c -> null);
    for (int i = 0; i < binCounts.length; i++) {
      binCounts[i] += other.binCounts[i];
    }
    sketchNow().merge(other.sketchNow());
    few.merge(other.few);
    long total = count + other.count;
    if (total > 0) {
      double delta = other.mean - mean;
      m2 += other.m2 + delta * delta * ((double) count * other.count / total);
      mean += delta * other.count / total;
    }
    count = total;
    missing += other.missing;
    nan += other.nan;
    infinite += other.infinite;
    invalid += other.invalid;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    exact.merge(other.exact);
  }

  private static String describe(FeatureProfile profile) {
    return profile.match(
        n -> "numeric feature " + n.name + " " + n.bins, c -> "categorical feature " + c.name());
  }

  /** Calls {@code numeric}: this is a numeric feature. */
  @Override
  public <R> R match(
      Function<? super NumericFeature, ? extends R> numeric,
      Function<? super CategoricalFeature, ? extends R> categorical) {
    return numeric.apply(this);
  }

  /** The feature's name. */
  @Override
  public String name() {
    return name;
  }

  /** The frozen bins. */
  public NumericBins bins() {
    return bins;
  }

  /** Finite values recorded. */
  @Override
  public long count() {
    return count;
  }

  /** Missing entries. */
  @Override
  public long missing() {
    return missing;
  }

  /** NaN entries. */
  public long nan() {
    return nan;
  }

  /** Infinite entries. */
  public long infinite() {
    return infinite;
  }

  /** Mean of the finite values. */
  public double mean() {
    return mean;
  }

  /** Population variance (divisor n) of the finite values. */
  public double variance() {
    return count == 0 ? 0 : m2 / count;
  }

  /** Smallest finite value. */
  public double min() {
    return min;
  }

  /** Largest finite value. */
  public double max() {
    return max;
  }

  /** A copy of the counts per bin (underflow first, overflow last). */
  public long[] binCounts() {
    return binCounts.clone();
  }

  /** Whether every finite value is still kept exactly. */
  public boolean hasExactValues() {
    return exact.complete();
  }

  /**
   * The finite values, when still kept exactly.
   *
   * @throws IllegalStateException past the exact limit; use the sketch then
   */
  public double[] exactValues() {
    if (!exact.complete()) {
      throw new IllegalStateException(String.format(PAST_LIMIT, name, exactLimit));
    }
    return exact.toArray();
  }

  /** The distinct values and their counts while there are at most five. */
  FewValues fewValues() {
    return few;
  }

  /** The KLL sketch's serialization (Apache DataSketches format). */
  public byte[] sketchBytes() {
    return sketchNow().toByteArray();
  }

  /** The approximate quantile of rank {@code rank} from the sketch. */
  public double quantile(double rank) {
    return sketchNow().getQuantile(rank);
  }

  /** The sketch's normalized rank error bound for one rank query (99% confidence). */
  public double rankError() {
    return sketchNow().getNormalizedRankError(false);
  }

  /**
   * How far the sketch's CDF may be from the values' empirical CDF anywhere: 0 while the sketch
   * still holds every value, else DataSketches' double-sided bound (stated for a PMF or CDF over
   * many split points, 99% confidence), the safe one when the largest difference is searched for.
   */
  double cdfError() {
    return sketchNow().isEstimationMode() ? sketch.getNormalizedRankError(true) : 0;
  }

  /** The sketch itself, for reading ranks and retained items; callers must not update it. */
  KllDoublesSketch sketch() {
    return sketchNow();
  }

  /** The limit of values kept exactly. */
  public int exactLimit() {
    return exactLimit;
  }

  /**
   * A profile from serialized parts that {@link ProfileCodec} has checked agree with each other.
   *
   * @param exactValues the kept values, or {@code null} when past the limit
   */
  static NumericFeature restored(
      String name,
      NumericBins bins,
      int exactLimit,
      long[] binCounts,
      Stats stats,
      KllDoublesSketch sketch,
      double[] exactValues,
      FewValues few) {
    NumericFeature feature = new NumericFeature(name, bins, exactLimit);
    System.arraycopy(binCounts, 0, feature.binCounts, 0, binCounts.length);
    feature.sketch = sketch;
    feature.few = few;
    feature.count = stats.count();
    feature.missing = stats.missing();
    feature.nan = stats.nan();
    feature.infinite = stats.infinite();
    feature.mean = stats.mean();
    feature.m2 = stats.variance() * stats.count();
    feature.min = stats.min();
    feature.max = stats.max();
    feature.exact = ExactValues.restore(exactValues, exactLimit);
    return feature;
  }

  /**
   * The summary statistics of a numeric feature, as serialized.
   *
   * @param count finite values
   * @param missing missing entries
   * @param nan NaN entries
   * @param infinite infinite entries
   * @param mean mean of the finite values
   * @param variance population variance
   * @param min smallest finite value
   * @param max largest finite value
   */
  record Stats(
      long count,
      long missing,
      long nan,
      long infinite,
      double mean,
      double variance,
      double min,
      double max) {}

  /** This feature's summary statistics. */
  Stats stats() {
    return new Stats(count, missing, nan, infinite, mean, variance(), min, max);
  }
}
