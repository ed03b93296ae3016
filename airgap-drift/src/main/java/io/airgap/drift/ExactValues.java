package io.airgap.drift;

import java.util.Arrays;

/**
 * The finite values of a numeric feature, in the order recorded, while there are at most a limit of
 * them (so small-sample tests can be exact); past the limit they are dropped for good and only the
 * sketch remains. Not thread-safe.
 */
final class ExactValues {
  private final int limit;
  private double[] values;
  private int size;

  ExactValues(int limit) {
    this.limit = limit;
    this.values = new double[Math.min(limit, 1024)];
  }

  /** Values restored from a profile, or dropped ones when {@code kept} is null. */
  static ExactValues restore(double[] kept, int limit) {
    ExactValues exact = new ExactValues(limit);
    if (kept == null) {
      exact.values = null;
    } else {
      exact.values = kept.clone();
      exact.size = kept.length;
    }
    return exact;
  }

  /** Keeps a value, or drops every value when it is one too many. */
  void add(double value) {
    if (values == null) {
      return;
    }
    if (size == limit) {
      values = null;
      return;
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, Math.min(limit, values.length * 2));
    }
    values[size++] = value;
  }

  /**
   * Adds the other's values, or drops all when either dropped its values or both exceed the limit.
   */
  void merge(ExactValues other) {
    if (values != null && other.values != null && size + other.size <= limit) {
      for (int i = 0; i < other.size; i++) {
        add(other.values[i]);
      }
    } else {
      values = null;
    }
  }

  /** Whether every value is still kept. */
  boolean complete() {
    return values != null;
  }

  /** A copy of the kept values; only while {@link #complete()}. */
  double[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
