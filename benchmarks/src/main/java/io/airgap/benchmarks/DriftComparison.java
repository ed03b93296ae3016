package io.airgap.benchmarks;

import io.airgap.drift.DriftProfile;
import io.airgap.drift.DriftReport;
import io.airgap.drift.MultipleTesting;
import io.airgap.drift.NumericFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Profiles 20 numeric features of 1,000,000 reference rows, profiles 1,000,000 current rows against
 * the frozen bins, and compares them; the same data is written as float64 files for {@code
 * drift_scipy.py}, which the comparison script runs in the same session.
 *
 * <p>Usage: {@code DriftComparison DATA_DIR FEATURES ROWS}. Prints {@code airgap-drift SECONDS}.
 */
public final class DriftComparison {
  private DriftComparison() {}

  /** Writes the data if missing, then times profiling and comparison (best of 3). */
  public static void main(String[] args) throws IOException {
    Path data = Files.createDirectories(Path.of(args[0]));
    int features = Integer.parseInt(args[1]);
    int rows = Integer.parseInt(args[2]);
    write(data, features, rows);
    double[][] reference = new double[features][];
    double[][] current = new double[features][];
    for (int i = 0; i < features; i++) {
      reference[i] = read(data.resolve("reference-" + i + ".f64"), rows);
      current[i] = read(data.resolve("current-" + i + ".f64"), rows);
    }
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 3; round++) {
      long start = System.nanoTime();
      DriftProfile.Builder builder = DriftProfile.builder();
      for (int i = 0; i < features; i++) {
        builder.numeric("f" + i, reference[i]);
      }
      DriftProfile ref = builder.build();
      DriftProfile cur = ref.newLive();
      // Each feature's profile is its own: fill them in parallel, as hosts do with many cores.
      java.util.stream.IntStream.range(0, features)
          .parallel()
          .forEach(
              i -> {
                NumericFeature feature = cur.numeric("f" + i);
                for (double value : current[i]) {
                  feature.add(value);
                }
              });
      DriftReport report =
          DriftReport.compare(ref, cur, MultipleTesting.Correction.BENJAMINI_HOCHBERG);
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
      if (round == 0) {
        System.err.print(report.toText());
      }
    }
    System.out.printf("airgap-drift %.3f%n", best);
  }

  private static void write(Path data, int features, int rows) throws IOException {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < features; i++) {
      Path ref = data.resolve("reference-" + i + ".f64");
      Path cur = data.resolve("current-" + i + ".f64");
      if (Files.exists(ref)
          && Files.size(ref) == rows * 8L
          && Files.exists(cur)
          && Files.size(cur) == rows * 8L) {
        continue;
      }
      double shift = i % 4 == 0 ? 0.2 : 0;
      Files.write(ref, encode(random, rows, 0));
      Files.write(cur, encode(random, rows, shift));
    }
  }

  private static byte[] encode(SplittableRandom random, int rows, double shift) {
    ByteBuffer buffer = ByteBuffer.allocate(rows * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (int r = 0; r < rows; r++) {
      double u = random.nextDouble();
      double v = random.nextDouble();
      buffer.putDouble(shift + Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v));
    }
    return buffer.array();
  }

  private static double[] read(Path file, int rows) throws IOException {
    double[] values = new double[rows];
    ByteBuffer.wrap(Files.readAllBytes(file))
        .order(ByteOrder.LITTLE_ENDIAN)
        .asDoubleBuffer()
        .get(values);
    return values;
  }
}
