package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.Arrays;
import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.NormalDistribution;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The statistics drift detection compares distributions with, each as scipy and Evidently define
 * it, so a decision made here can be reproduced there. Stateless and thread-safe.
 *
 * <p>Binned metrics take proportions that are already smoothed (no zero bin); see the profile
 * classes for the smoothing.
 */
public final class DriftStatistics {
  /** scipy's {@code ks_2samp(method="auto")} uses the exact p-value up to this sample size. */
  public static final int KS_EXACT_MAX_SIZE = 10_000;

  private static final NormalDistribution STANDARD_NORMAL = NormalDistribution.of(0, 1);

  private DriftStatistics() {}

  /** A test statistic and its p-value. */
  public record TestResult(double statistic, double pvalue) {}

  /** A two-sample Kolmogorov-Smirnov result and whether its p-value is exact. */
  public record KsResult(double statistic, double pvalue, boolean exact) {}

  /** Population stability index: sum of (cur - ref) * ln(cur / ref). */
  public static double psi(double[] reference, double[] current) {
    requirePositive(reference, current);
    double sum = 0;
    for (int i = 0; i < reference.length; i++) {
      sum += (current[i] - reference[i]) * Math.log(current[i] / reference[i]);
    }
    return sum;
  }

  /** Kullback-Leibler divergence KL(current || reference), natural log (scipy's entropy(q, p)). */
  public static double klDivergence(double[] reference, double[] current) {
    requirePositive(reference, current);
    double[] p = normalized(current);
    double[] q = normalized(reference);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      sum += p[i] * Math.log(p[i] / q[i]);
    }
    return sum;
  }

  /**
   * Jensen-Shannon distance: the square root of the Jensen-Shannon divergence, natural log, or base
   * 2 (then at most 1), as scipy's {@code spatial.distance.jensenshannon}.
   */
  public static double jensenShannon(double[] reference, double[] current, boolean base2) {
    requireNonNegative(reference, current);
    double[] p = normalized(reference);
    double[] q = normalized(current);
    double divergence = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      divergence += relativeEntropyTerm(p[i], m) + relativeEntropyTerm(q[i], m);
    }
    divergence /= 2;
    if (base2) {
      divergence /= Math.log(2);
    }
    return Math.sqrt(Math.max(0, divergence));
  }

  /**
   * Hellinger distance: sqrt(1/2 * sum (sqrt(p) - sqrt(q))^2), between 0 and 1; defined with empty
   * bins.
   */
  public static double hellinger(double[] reference, double[] current) {
    requireNonNegative(reference, current);
    double[] p = normalized(reference);
    double[] q = normalized(current);
    double sum = 0;
    for (int i = 0; i < p.length; i++) {
      double d = Math.sqrt(p[i]) - Math.sqrt(q[i]);
      sum += d * d;
    }
    return Math.sqrt(sum / 2);
  }

  /**
   * The first Wasserstein distance between two samples: the area between their empirical CDFs
   * (scipy's {@code wasserstein_distance}).
   */
  public static double wasserstein(double[] reference, double[] current) {
    requireSamples(reference, current);
    double[] u = sortedCopy(reference);
    double[] v = sortedCopy(current);
    double[] all = new double[u.length + v.length];
    System.arraycopy(u, 0, all, 0, u.length);
    System.arraycopy(v, 0, all, u.length, v.length);
    Arrays.sort(all);
    double area = 0;
    int i = 0;
    int j = 0;
    for (int k = 0; k < all.length - 1; k++) {
      double x = all[k];
      while (i < u.length && u[i] <= x) {
        i++;
      }
      while (j < v.length && v[j] <= x) {
        j++;
      }
      area += Math.abs((double) i / u.length - (double) j / v.length) * (all[k + 1] - x);
    }
    return area;
  }

  /**
   * Wasserstein distance divided by the reference's population standard deviation, floored at 0.001
   * (Evidently's normed Wasserstein).
   */
  public static double normedWasserstein(double[] reference, double[] current) {
    return wasserstein(reference, current) / Math.max(populationStd(reference), 0.001);
  }

  /** Standard deviation with divisor n (numpy's default). */
  public static double populationStd(double[] values) {
    double mean = 0;
    double m2 = 0;
    for (int i = 0; i < values.length; i++) {
      double delta = values[i] - mean;
      mean += delta / (i + 1);
      m2 += delta * (values[i] - mean);
    }
    return Math.sqrt(m2 / values.length);
  }

  /**
   * Two-sample Kolmogorov-Smirnov test, two-sided, as scipy's {@code ks_2samp(method="auto")}: the
   * exact p-value when both samples have at most {@value #KS_EXACT_MAX_SIZE} values, else the
   * asymptotic one.
   */
  public static KsResult ks2Samp(double[] reference, double[] current) {
    requireSamples(reference, current);
    if (reference.length < 2 || current.length < 2) {
      throw new FormatException("a two-sample KS test needs at least 2 values on each side");
    }
    boolean exact = Math.max(reference.length, current.length) <= KS_EXACT_MAX_SIZE;
    KolmogorovSmirnovTest test =
        KolmogorovSmirnovTest.withDefaults()
            .with(AlternativeHypothesis.TWO_SIDED)
            .with(exact ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC);
    KolmogorovSmirnovTest.TwoResult result = test.test(reference, current);
    return new KsResult(result.getStatistic(), result.getPValue(), exact);
  }

  /**
   * The asymptotic two-sided p-value of a two-sample KS statistic {@code d} between samples of
   * {@code n} and {@code m} values: the limiting Kolmogorov distribution's survival function at
   * sqrt(nm / (n + m)) d. Used where only sketches remain, so at least one side is past {@value
   * #KS_EXACT_MAX_SIZE} values and scipy would use an asymptotic p-value too.
   */
  public static double kolmogorovPvalue(double d, long n, long m) {
    if (n <= 0 || m <= 0 || !(d >= 0)) {
      throw new IllegalArgumentException("need n, m > 0 and d >= 0");
    }
    return kolmogorovSurvival(Math.sqrt((double) n * m / (n + m)) * d);
  }

  /**
   * Q(x) = 2 sum_{k >= 1} (-1)^(k-1) exp(-2 k^2 x^2), the probability that the Kolmogorov
   * distribution exceeds x; for small x the equivalent theta-function series 1 - sqrt(2 pi) / x
   * sum_{k >= 1} exp(-(2k - 1)^2 pi^2 / (8 x^2)), which converges fast there.
   */
  static double kolmogorovSurvival(double x) {
    if (x <= 0) {
      return 1;
    }
    double sum = 0;
    if (x < 1) {
      for (int k = 1; k <= 20; k++) {
        double odd = 2 * k - 1;
        sum += Math.exp(-odd * odd * Math.PI * Math.PI / (8 * x * x));
      }
      return Math.min(1, Math.max(0, 1 - Math.sqrt(2 * Math.PI) / x * sum));
    }
    for (int k = 1; k <= 100; k++) {
      double term = Math.exp(-2.0 * k * k * x * x);
      sum += (k % 2 == 1) ? term : -term;
      if (term < 1e-300) {
        break;
      }
    }
    return Math.min(1, Math.max(0, 2 * sum));
  }

  /**
   * Chi-square test of homogeneity on a 2 x k table of counts (reference and current), without
   * continuity correction, as scipy's {@code chi2_contingency(correction=False)}.
   */
  public static TestResult chiSquareHomogeneity(long[] reference, long[] current) {
    if (reference.length != current.length || reference.length < 2) {
      throw new FormatException(
          "a chi-square test needs two count vectors of the same length, at least 2");
    }
    double totalReference = 0;
    double totalCurrent = 0;
    for (int i = 0; i < reference.length; i++) {
      totalReference += reference[i];
      totalCurrent += current[i];
    }
    double total = totalReference + totalCurrent;
    double statistic = 0;
    int categories = 0;
    for (int i = 0; i < reference.length; i++) {
      double column = reference[i] + current[i];
      if (column == 0) {
        continue;
      }
      categories++;
      double expectedReference = column * totalReference / total;
      double expectedCurrent = column * totalCurrent / total;
      statistic += square(reference[i] - expectedReference) / expectedReference;
      statistic += square(current[i] - expectedCurrent) / expectedCurrent;
    }
    int dof = categories - 1;
    double pvalue = dof <= 0 ? 1.0 : ChiSquaredDistribution.of(dof).survivalProbability(statistic);
    return new TestResult(statistic, pvalue);
  }

  /** Two-proportion Z-test with pooled variance, two-sided. */
  public static TestResult twoProportionZ(long successes1, long n1, long successes2, long n2) {
    if (n1 <= 0
        || n2 <= 0
        || successes1 < 0
        || successes2 < 0
        || successes1 > n1
        || successes2 > n2) {
      throw new FormatException(
          "a two-proportion test needs 0 <= successes <= n and n > 0 on both sides");
    }
    double p1 = (double) successes1 / n1;
    double p2 = (double) successes2 / n2;
    double pooled = (double) (successes1 + successes2) / (n1 + n2);
    double variance = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
    if (variance == 0) {
      return new TestResult(0, 1);
    }
    double z = (p1 - p2) / Math.sqrt(variance);
    return new TestResult(z, 2 * STANDARD_NORMAL.survivalProbability(Math.abs(z)));
  }

  private static double square(double x) {
    return x * x;
  }

  private static double[] sortedCopy(double[] values) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy;
  }

  private static double[] normalized(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] / sum;
    }
    return out;
  }

  /** x ln(x / m), 0 when x is 0 (scipy's rel_entr). */
  private static double relativeEntropyTerm(double x, double m) {
    return x == 0 ? 0 : x * Math.log(x / m);
  }

  /**
   * Proportions that may hold empty bins (Jensen-Shannon and Hellinger are defined there), but no
   * bin empty on both sides and no side empty.
   */
  private static void requireNonNegative(double[] reference, double[] current) {
    requireSameBins(reference, current);
    double referenceSum = 0;
    double currentSum = 0;
    for (int i = 0; i < reference.length; i++) {
      if (!(reference[i] >= 0) || !(current[i] >= 0) || reference[i] + current[i] == 0) {
        throw new FormatException(
            "bin " + i + " is negative, not a number, or empty on both sides");
      }
      referenceSum += reference[i];
      currentSum += current[i];
    }
    if (referenceSum == 0 || currentSum == 0 || Double.isInfinite(referenceSum + currentSum)) {
      throw new FormatException("both sides need a finite, non-zero total");
    }
  }

  private static void requireSameBins(double[] reference, double[] current) {
    if (reference.length != current.length || reference.length == 0) {
      throw new FormatException(
          "binned metrics need the same number of bins on both sides, got "
              + reference.length
              + " and "
              + current.length);
    }
  }

  private static void requirePositive(double[] reference, double[] current) {
    requireSameBins(reference, current);
    for (int i = 0; i < reference.length; i++) {
      if (!(reference[i] > 0) || !(current[i] > 0)) {
        throw new FormatException(
            "bin " + i + " is empty or negative; smooth the proportions first");
      }
    }
  }

  private static void requireSamples(double[] reference, double[] current) {
    if (reference.length == 0 || current.length == 0) {
      throw new FormatException(
          "a two-sample statistic needs values on both sides; the "
              + (reference.length == 0 ? "reference" : "current")
              + " side is empty");
    }
    for (double[] side : new double[][] {reference, current}) {
      for (double value : side) {
        if (!Double.isFinite(value)) {
          throw new FormatException(
              "samples must be finite; NaN and infinities are counted, not compared");
        }
      }
    }
  }
}
