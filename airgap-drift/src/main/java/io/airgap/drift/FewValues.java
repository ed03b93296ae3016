package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.Arrays;

/**
 * The distinct values of a numeric feature and their counts while there are at most {@link #LIMIT}
 * of them. Evidently treats a numeric feature with at most five distinct values (reference and
 * current together) as categorical; keeping them lets a profile of any size make that choice and
 * count per value exactly. Past the limit it forgets them, so a continuous feature pays one branch
 * per value. Not thread-safe.
 */
final class FewValues {
  /** Evidently's limit: at most this many distinct values and a numeric feature is categorical. */
  static final int LIMIT = 5;

  private final double[] values = new double[LIMIT];
  private final long[] counts = new long[LIMIT];
  private int size;
  private boolean overflowed;

  void add(double value) {
    if (overflowed) {
      return;
    }
    add(value, 1);
  }

  private void add(double value, long count) {
    for (int i = 0; i < size; i++) {
      // == rather than equals: -0.0 and 0.0 are one value, as for pandas' nunique.
      if (values[i] == value) {
        counts[i] += count;
        return;
      }
    }
    if (size == LIMIT) {
      overflowed = true;
      return;
    }
    values[size] = value;
    counts[size++] = count;
  }

  void merge(FewValues other) {
    if (other.overflowed) {
      overflowed = true;
    }
    for (int i = 0; i < other.size && !overflowed; i++) {
      add(other.values[i], other.counts[i]);
    }
  }

  /** Whether more than {@link #LIMIT} distinct values were seen. */
  boolean overflowed() {
    return overflowed;
  }

  /** The distinct values, ascending. */
  double[] values() {
    double[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return sorted;
  }

  /** The count of a value, 0 when it was not seen. */
  long count(double value) {
    for (int i = 0; i < size; i++) {
      if (values[i] == value) {
        return counts[i];
      }
    }
    return 0;
  }

  /**
   * Distinct values of both, ascending, or {@code null} when together they have more than {@link
   * #LIMIT}.
   */
  static double[] union(FewValues a, FewValues b) {
    FewValues both = new FewValues();
    both.merge(a);
    both.merge(b);
    return both.overflowed ? null : both.values();
  }

  /** Counts of {@code keys}, in their order. */
  long[] counts(double[] keys) {
    long[] result = new long[keys.length];
    for (int i = 0; i < keys.length; i++) {
      result[i] = count(keys[i]);
    }
    return result;
  }

  /**
   * Restores values and counts read from a profile.
   *
   * @param total the feature's finite-value count, which the counts must add up to
   * @throws FormatException naming {@code where} when they are not distinct finite values with
   *     positive counts adding up to {@code total}
   */
  static FewValues restore(double[] values, long[] counts, long total, String where) {
    if (values.length != counts.length || values.length > LIMIT) {
      throw new FormatException(
          where
              + ": "
              + values.length
              + " few values with "
              + counts.length
              + " counts (at most "
              + LIMIT
              + " of each, as many counts as values)");
    }
    FewValues few = new FewValues();
    long sum = 0;
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i]) || counts[i] <= 0 || few.count(values[i]) != 0) {
        throw new FormatException(
            where + ": few value " + values[i] + " with count " + counts[i] + " is not allowed");
      }
      few.add(values[i], counts[i]);
      sum += counts[i];
    }
    if (sum != total) {
      throw new FormatException(
          where + ": few-value counts add up to " + sum + ", count says " + total);
    }
    return few;
  }

  /** A profile that saw more than {@link #LIMIT} values. */
  static FewValues overflowedInstance() {
    FewValues few = new FewValues();
    few.overflowed = true;
    return few;
  }
}
