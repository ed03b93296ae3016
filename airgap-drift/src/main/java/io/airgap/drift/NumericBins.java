package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.Arrays;

/**
 * Bin edges frozen from a reference: edges {@code e_0 < e_1 < ... < e_k} split values into an
 * underflow bin ({@code x < e_0}), k inner bins {@code [e_{i-1}, e_i)} with the last one closed at
 * {@code e_k}, and an overflow bin ({@code x > e_k}). Frozen means a current window is always
 * binned as the reference was, so bins never depend on the data being compared. Immutable and
 * thread-safe.
 */
public final class NumericBins {
  private final double[] edges;

  private NumericBins(double[] edges) {
    this.edges = edges;
  }

  /**
   * Bins from edges, which must be finite and strictly increasing (at least two edges, so at least
   * one inner bin).
   *
   * @throws FormatException naming the first bad edge
   */
  public static NumericBins of(double[] edges) {
    if (edges.length < 2) {
      throw new FormatException("numeric bins need at least two edges, got " + edges.length);
    }
    for (int i = 0; i < edges.length; i++) {
      if (!Double.isFinite(edges[i]) || i > 0 && !(edges[i] > edges[i - 1])) {
        throw new FormatException(
            "bin edge " + i + " (" + edges[i] + ") is not finite and above the previous edge");
      }
    }
    return new NumericBins(edges.clone());
  }

  /**
   * Edges at the reference quantiles 0, 1/k, ..., 1 of sorted finite values, with repeated edges
   * merged (a feature with few distinct values gets fewer bins).
   */
  public static NumericBins fromSortedValues(double[] sorted, int bins) {
    if (sorted.length == 0) {
      throw new FormatException("cannot freeze bins from a feature with no finite value");
    }
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, got " + bins);
    }
    double[] edges = new double[bins + 1];
    int count = 0;
    for (int i = 0; i <= bins; i++) {
      double edge = quantile(sorted, (double) i / bins);
      if (count == 0 || edge > edges[count - 1]) {
        edges[count++] = edge;
      }
    }
    if (count == 1) {
      // A constant feature: one inner bin holding exactly that value.
      edges[count++] = Math.nextUp(edges[0]);
    }
    return new NumericBins(Arrays.copyOf(edges, count));
  }

  /**
   * Edges at the quantiles 0, 1/k, ..., 1 read from a KLL sketch: the minimum and maximum are
   * exact, inner edges within the sketch's rank error; repeated edges are merged.
   */
  static NumericBins fromSketch(org.apache.datasketches.kll.KllDoublesSketch sketch, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("bins must be at least 1, got " + bins);
    }
    double[] edges = new double[bins + 1];
    int count = 0;
    for (int i = 0; i <= bins; i++) {
      double edge =
          i == 0
              ? sketch.getMinItem()
              : i == bins ? sketch.getMaxItem() : sketch.getQuantile((double) i / bins);
      if (count == 0 || edge > edges[count - 1]) {
        edges[count++] = edge;
      }
    }
    if (count == 1) {
      edges[count++] = Math.nextUp(edges[0]);
    }
    return new NumericBins(Arrays.copyOf(edges, count));
  }

  /** Linear-interpolation quantile of sorted values (numpy's default). */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + (sorted[above] - sorted[below]) * fraction;
  }

  /** The number of bins, underflow and overflow included. */
  public int count() {
    return edges.length + 1;
  }

  /** A copy of the edges. */
  public double[] edges() {
    return edges.clone();
  }

  /** The bin of a finite value: 0 underflow, 1..k inner, k+1 overflow. */
  public int bin(double value) {
    // Count the edges at or below the value without branches: a handful of edges is faster to
    // scan than to search, and the loop compiles to conditional moves.
    int below = 0;
    for (double edge : edges) {
      below += value >= edge ? 1 : 0;
    }
    // The last inner bin is closed on the right, so the reference maximum lands inside it.
    return value == edges[edges.length - 1] ? below - 1 : below;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NumericBins that && Arrays.equals(edges, that.edges);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(edges);
  }

  @Override
  public String toString() {
    return "NumericBins" + Arrays.toString(edges);
  }
}
