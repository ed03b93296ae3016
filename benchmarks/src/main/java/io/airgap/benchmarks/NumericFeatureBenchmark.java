package io.airgap.benchmarks;

import io.airgap.drift.NumericBins;
import io.airgap.drift.NumericFeature;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Update throughput of a live numeric feature on one core: frozen bins plus KLL sketch (the full
 * {@code add}), and the bin lookup alone. Values per second = operations per second.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar NumericFeatureBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NumericFeatureBenchmark {
  private static final int BATCH = 1 << 16;

  private double[] values;
  private NumericBins bins;
  private NumericFeature feature;
  private long sink;

  /** Ten reference-quantile bins over a normal distribution; a stream of normal values. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    values = new double[BATCH];
    double[] reference = new double[100_000];
    for (int i = 0; i < reference.length; i++) {
      reference[i] = gaussian(random);
    }
    java.util.Arrays.sort(reference);
    bins = NumericBins.fromSortedValues(reference, 10);
    for (int i = 0; i < BATCH; i++) {
      values[i] = gaussian(random) * 1.1 + 0.1;
    }
    feature = new NumericFeature("x", bins, 0);
  }

  private static double gaussian(SplittableRandom random) {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /** The whole update: bins, sketch, counts, Welford. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void binsAndSketch() {
    for (double value : values) {
      feature.add(value);
    }
  }

  /** Only the frozen-bin lookup. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long binsAlone() {
    long total = 0;
    for (double value : values) {
      total += bins.bin(value);
    }
    sink += total;
    return total;
  }
}
