package io.airgap.core.digest;

import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Hashes many file regions on a bounded pool of threads, streaming each through a direct buffer.
 *
 * <p>Memory use is {@code parallelism * bufferSize} bytes off the heap whatever the size of the
 * files, and positions are {@code long}, so files over 2 GiB work. Thread-safe: concurrent calls
 * share the pool. Close it to stop its threads.
 */
public final class ParallelHasher implements AutoCloseable {
  /** One MiB: large enough that system calls are rare, small enough to stay in L2/L3 cache. */
  public static final int DEFAULT_BUFFER_SIZE = 1 << 20;

  private static final AtomicInteger POOL_NUMBER = new AtomicInteger();

  private final int parallelism;
  private final int bufferSize;
  private final ExecutorService pool;
  private final ThreadLocal<ByteBuffer> buffers;

  private ParallelHasher(int parallelism, int bufferSize) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    if (bufferSize < 4096) {
      throw new IllegalArgumentException("buffer size must be at least 4096, got " + bufferSize);
    }
    this.parallelism = parallelism;
    this.bufferSize = bufferSize;
    this.pool = Executors.newFixedThreadPool(parallelism, daemonThreads());
    this.buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(this.bufferSize));
  }

  /** A hasher with one thread per available processor and the default buffer size. */
  public static ParallelHasher create() {
    return create(Runtime.getRuntime().availableProcessors(), DEFAULT_BUFFER_SIZE);
  }

  /** A hasher with the given number of threads and per-thread buffer size in bytes. */
  public static ParallelHasher create(int parallelism, int bufferSize) {
    return new ParallelHasher(parallelism, bufferSize);
  }

  /** The number of threads. */
  public int parallelism() {
    return parallelism;
  }

  /**
   * Hashes every region and returns the digests in the order of {@code regions}.
   *
   * <p>The largest regions start first so that one big file does not finish last alone. The first
   * failure cancels the rest and is rethrown.
   *
   * @throws InputException naming the file that could not be read or that changed size
   */
  public List<Digest> hash(List<FileRegion> regions, HashAlgorithm algorithm) {
    List<Future<Digest>> futures = new ArrayList<>(regions.size());
    for (int i = 0; i < regions.size(); i++) {
      futures.add(null);
    }
    List<Integer> largestFirst =
        IntStream.range(0, regions.size())
            .boxed()
            .sorted(Comparator.comparingLong((Integer i) -> regions.get(i).length()).reversed())
            .toList();
    for (int index : largestFirst) {
      FileRegion region = regions.get(index);
      futures.set(index, pool.submit(() -> hashRegion(region, algorithm)));
    }
    return collect(futures);
  }

  private static List<Digest> collect(List<Future<Digest>> futures) {
    List<Digest> digests = new ArrayList<>(futures.size());
    try {
      for (Future<Digest> future : futures) {
        digests.add(future.get());
      }
      return digests;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AirgapException("interrupted while hashing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AirgapException("hashing failed: " + e.getCause(), e.getCause());
    } catch (CancellationException e) {
      throw new AirgapException("hashing was cancelled", e);
    } finally {
      futures.forEach(future -> future.cancel(true));
    }
  }

  private Digest hashRegion(FileRegion region, HashAlgorithm algorithm) {
    Hasher hasher = algorithm.newHasher();
    ByteBuffer buffer = buffers.get();
    try (FileChannel channel = FileChannel.open(region.path(), StandardOpenOption.READ)) {
      long position = region.offset();
      long end = region.wholeFile() ? Long.MAX_VALUE : region.offset() + region.length();
      while (position < end) {
        buffer.clear();
        if (end - position < buffer.capacity()) {
          buffer.limit((int) (end - position));
        }
        int read = channel.read(buffer, position);
        if (read < 0) {
          if (region.wholeFile()) {
            break;
          }
          throw new InputException(
              region.path()
                  + " ended at byte "
                  + position
                  + ", before byte "
                  + end
                  + "; it changed while being hashed");
        }
        position += read;
        buffer.flip();
        hasher.update(buffer);
      }
      return new Digest(algorithm, hasher.digest());
    } catch (NoSuchFileException e) {
      throw new InputException(region.path() + " disappeared while being hashed", e);
    } catch (InterruptedIOException e) {
      throw new AirgapException("interrupted while hashing " + region.path(), e);
    } catch (IOException e) {
      throw new InputException("cannot read " + region.path() + ": " + e.getMessage(), e);
    }
  }

  private static ThreadFactory daemonThreads() {
    int pool = POOL_NUMBER.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, "airgap-hash-" + pool + "-" + thread.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Stops the pool's threads; regions being hashed are interrupted. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
