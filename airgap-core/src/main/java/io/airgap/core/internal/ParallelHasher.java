package io.airgap.core.internal;

import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.digest.Hasher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
   * Hashes every region, following symbolic links, and returns the digests in the order of {@code
   * regions}.
   *
   * @see #hash(List, HashAlgorithm, boolean)
   */
  public List<Digest> hash(List<FileRegion> regions, HashAlgorithm algorithm) {
    return hash(regions, algorithm, true);
  }

  /**
   * Hashes every region and returns the digests in the order of {@code regions}.
   *
   * <p>Exactly {@code length} bytes of each region are read, so a file swapped for an endless one
   * cannot stall the pool; a file that ends early, or a whole file that has grown, is an error. The
   * largest regions start first so that one big file does not finish last alone. The first failure
   * cancels the rest and is rethrown.
   *
   * @param followLinks whether a path that has become a symbolic link is followed; when false, such
   *     a path fails to open (the model was listed without links, so one now is tampering)
   * @throws InputException naming the file that could not be read or that changed size
   */
  public List<Digest> hash(List<FileRegion> regions, HashAlgorithm algorithm, boolean followLinks) {
    Digest[] digests = new Digest[regions.size()];
    CompletionService<Void> completions = new ExecutorCompletionService<>(pool);
    List<Future<Void>> futures = new ArrayList<>(regions.size());
    List<Integer> largestFirst =
        IntStream.range(0, regions.size())
            .boxed()
            .sorted(Comparator.comparingLong((Integer i) -> regions.get(i).length()).reversed())
            .toList();
    for (int index : largestFirst) {
      FileRegion region = regions.get(index);
      futures.add(
          completions.submit(
              () -> {
                digests[index] = hashRegion(region, algorithm, followLinks);
                return null;
              }));
    }
    awaitAll(completions, futures);
    return List.of(digests);
  }

  /** Waits for every task in completion order, so the first failure is seen at once. */
  private static void awaitAll(CompletionService<Void> completions, List<Future<Void>> futures) {
    try {
      for (int i = 0; i < futures.size(); i++) {
        completions.take().get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AirgapException("interrupted while hashing", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AirgapException("hashing failed: " + e.getCause(), e.getCause());
    } finally {
      futures.forEach(future -> future.cancel(true));
    }
  }

  private Digest hashRegion(FileRegion region, HashAlgorithm algorithm, boolean followLinks) {
    Hasher hasher = algorithm.newHasher();
    ByteBuffer buffer = buffers.get();
    OpenOption[] options =
        followLinks
            ? new OpenOption[] {StandardOpenOption.READ}
            : new OpenOption[] {StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS};
    try (FileChannel channel = FileChannel.open(region.path(), options)) {
      long position = region.offset();
      long end = region.offset() + region.length();
      while (position < end) {
        buffer.clear();
        if (end - position < buffer.capacity()) {
          buffer.limit((int) (end - position));
        }
        int read = channel.read(buffer, position);
        if (read < 0) {
          throw changed(region, "ended at byte " + position + ", before byte " + end);
        }
        position += read;
        buffer.flip();
        hasher.update(buffer);
      }
      if (region.wholeFile() && channel.read(buffer.clear().limit(1), end) > 0) {
        throw changed(region, "has grown past its listed size of " + end + " bytes");
      }
      return new Digest(algorithm, hasher.digest());
    } catch (NoSuchFileException e) {
      throw new InputException(region.path() + " disappeared while being hashed", e);
    } catch (ClosedByInterruptException | InterruptedIOException e) {
      throw new AirgapException("interrupted while hashing " + region.path(), e);
    } catch (IOException e) {
      if (!followLinks && Files.isSymbolicLink(region.path())) {
        throw changed(region, "became a symbolic link");
      }
      throw new InputException("cannot read " + region.path() + ": " + e.getMessage(), e);
    }
  }

  private static InputException changed(FileRegion region, String what) {
    return new InputException(region.path() + " " + what + "; it changed while being hashed");
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

  /**
   * Stops the pool's threads, interrupting regions being hashed, and waits for them to release
   * their files.
   */
  @Override
  public void close() {
    pool.shutdownNow();
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
