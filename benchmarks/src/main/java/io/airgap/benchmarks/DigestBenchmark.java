package io.airgap.benchmarks;

import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.digest.Hasher;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
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
 * One-thread hashing of a 1 MiB block: the JDK's SHA-256 over a heap array (the baseline per core),
 * and airgap's hashers over a direct buffer as {@code ParallelHasher} feeds them, for every hash
 * algorithm. The difference between the first two is the cost of the direct-buffer path.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar DigestBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DigestBenchmark {
  private static final int BLOCK = 1 << 20;

  /** The algorithm under test; only the airgap benchmark varies it. */
  @State(Scope.Thread)
  public static class Algorithm {
    @Param({"SHA256", "BLAKE2B", "BLAKE3"})
    public HashAlgorithm value;
  }

  private byte[] heap;
  private ByteBuffer direct;

  /** Fills the block once. */
  @Setup
  public void fill() {
    heap = new byte[BLOCK];
    for (int i = 0; i < BLOCK; i++) {
      heap[i] = (byte) (i * 31);
    }
    direct = ByteBuffer.allocateDirect(BLOCK);
    direct.put(heap).flip();
  }

  /** The JDK's SHA-256 over a heap array: what one core can do at best (MiB/s = ops/s). */
  @Benchmark
  public byte[] jdkSha256HeapArray() throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    digest.update(heap);
    return digest.digest();
  }

  /** airgap's hasher over a direct buffer, as files are streamed (MiB/s = ops/s). */
  @Benchmark
  public byte[] airgapHasherDirectBuffer(Algorithm algorithm) {
    Hasher hasher = algorithm.value.newHasher();
    direct.rewind();
    hasher.update(direct);
    return hasher.digest();
  }
}
