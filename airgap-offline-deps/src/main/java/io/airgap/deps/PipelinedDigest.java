package io.airgap.deps;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * SHA-256 on a second thread: the reading thread hands over filled buffers and goes on reading and
 * writing while earlier buffers are hashed, so on two cores hashing overlaps the I/O instead of
 * following it. A fixed set of buffers bounds the memory. Not thread-safe: one reading thread.
 */
final class PipelinedDigest implements AutoCloseable {
  private static final byte[] FINISH = new byte[0];
  private static final byte[] STOP = new byte[0];

  private final BlockingQueue<byte[]> free;
  private final BlockingQueue<Chunk> filled;
  private final BlockingQueue<String> results = new ArrayBlockingQueue<>(1);
  private final Thread hasher;

  private record Chunk(byte[] buffer, int length) {}

  PipelinedDigest(int buffers, int size) {
    free = new ArrayBlockingQueue<>(buffers);
    filled = new ArrayBlockingQueue<>(buffers + 1);
    for (int i = 0; i < buffers; i++) {
      free.add(new byte[size]);
    }
    hasher = new Thread(this::hash, "airgap-digest");
    hasher.setDaemon(true);
    hasher.start();
  }

  private void hash() {
    MessageDigest digest = DepsFiles.digest("SHA-256");
    try {
      while (true) {
        Chunk chunk = filled.take();
        if (chunk.buffer() == STOP) {
          return;
        }
        if (chunk.buffer() == FINISH) {
          results.put(HexFormat.of().formatHex(digest.digest()));
          continue;
        }
        digest.update(chunk.buffer(), 0, chunk.length());
        free.put(chunk.buffer());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A free buffer to read into (waits while all are being hashed). */
  byte[] buffer() {
    try {
      return free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a buffer", e);
    }
  }

  /** Gives back a buffer that was not filled. */
  void recycle(byte[] buffer) {
    free.add(buffer);
  }

  /** Hashes {@code length} bytes of {@code buffer} next; the buffer must not be touched after. */
  void update(byte[] buffer, int length) {
    put(new Chunk(buffer, length));
  }

  /** The hex SHA-256 of everything handed over since the last finish; starts a new digest. */
  String finish() {
    put(new Chunk(FINISH, 0));
    try {
      return results.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a digest", e);
    }
  }

  private void put(Chunk chunk) {
    try {
      filled.put(chunk);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing over a buffer", e);
    }
  }

  @Override
  public void close() {
    filled.offer(new Chunk(STOP, 0));
  }
}
