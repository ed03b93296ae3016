package io.airgap.benchmarks;

import io.airgap.drift.DriftProfile;
import io.airgap.drift.monitor.DriftMonitor;
import io.airgap.inference.InferenceListener;
import io.airgap.inference.Tensor;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a {@link DriftMonitor} adds to each run: the rows of a run with a {@code [batch, 4]} float
 * input and a {@code [batch, 3]} float output recorded against a reference of those 7 numeric
 * features (frozen bins and KLL sketches), windows of 10,000 rows compared with the reference as
 * they close. Average time per run; divide by the batch size for the time per row.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DriftMonitorBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DriftMonitorBenchmark {
  @Param({"1", "32"})
  public int batch;

  private DriftMonitor monitor;
  private InferenceListener.RunEvent event;

  /** A reference of 20,000 rows and one run's tensors of {@code batch} rows. */
  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(11);
    DriftProfile.Builder builder = DriftProfile.builder().exactLimit(1_000);
    String[] names = {"x0", "x1", "x2", "x3", "p0", "p1", "p2"};
    for (String name : names) {
      double[] values = new double[20_000];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextDouble();
      }
      builder.numeric(name, values);
    }
    DriftProfile reference = builder.build();
    monitor =
        DriftMonitor.builder(reference)
            .columns("x", "x0", "x1", "x2", "x3")
            .columns("p", "p0", "p1", "p2")
            .windowRows(10_000)
            .build();
    float[] x = new float[batch * 4];
    float[] p = new float[batch * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble();
    }
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) random.nextDouble();
    }
    event =
        new InferenceListener.RunEvent(
            "bench",
            "sha256:00",
            0,
            0,
            batch,
            Map.of("x", Tensor.ofFloats(new long[] {batch, 4}, x)),
            Map.of("p", Tensor.ofFloats(new long[] {batch, 3}, p)));
  }

  /** One run's rows recorded (and, every 10,000 rows, a window compared). */
  @Benchmark
  public void onRun() {
    monitor.onRun(event);
  }
}
