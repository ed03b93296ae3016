package io.airgap.deps;

import io.airgap.core.InputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * Writes a bundle's tar with every member at an offset known before a byte is written: the small
 * documents, then one member per blob, then the end-of-archive records. Because the offsets are
 * fixed (the lock gives every blob's name and size), blobs are written on several threads at once.
 * Each blob is copied by the kernel ({@link FileChannel#transferTo}, no trip through the heap) and
 * then hashed from what landed in the bundle, so the digest checked against the lock is the digest
 * of the bytes written, whatever happens to the source meanwhile. Headers come from Commons
 * Compress ({@link TarArchiveEntry#writeEntryHeader}); sizes of 8 GiB and more use the base-256
 * encoding GNU tar, Go's archive/tar and Commons Compress read. Stateless.
 */
final class BundleTarWriter {
  /** One tar record. */
  static final int RECORD = 512;

  /** The archive is padded to whole blocks of 20 records, as tar writes them. */
  static final int BLOCK = 20 * RECORD;

  private static final long CHUNK = 64L << 20;
  private static final int HASH_BUFFER = 1 << 20;

  private BundleTarWriter() {}

  /** A small member written whole: the layout, index, signature and manifests. */
  record Document(String name, byte[] bytes) {}

  /** A file member: {@code source} must hold exactly the locked size and SHA-256. */
  record Blob(String name, Path source, LockedFile locked) {}

  private record Placed(Blob blob, long dataOffset) {}

  /**
   * Writes {@code documents} and {@code blobs} to {@code out}, which must not exist. Forcing it to
   * the device is the caller's: a bundle about to be split is a temporary file.
   *
   * @throws IntegrityException when a source is not what the lock says
   * @throws IOException when reading or writing fails
   */
  static void write(Path out, List<Document> documents, List<Blob> blobs, Progress progress)
      throws IOException {
    List<Placed> placed = new ArrayList<>();
    try (FileChannel channel =
        FileChannel.open(out, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long position = 0;
      for (Document document : documents) {
        writeFully(channel, header(document.name(), document.bytes().length), position);
        writeFully(channel, ByteBuffer.wrap(document.bytes()), position + RECORD);
        position += RECORD + padded(document.bytes().length);
      }
      for (Blob blob : blobs) {
        writeFully(channel, header(blob.name(), blob.locked().size()), position);
        placed.add(new Placed(blob, position + RECORD));
        position += RECORD + padded(blob.locked().size());
      }
      // End of archive: two zero records, then zeros to a whole block. Padding between members
      // is never written: the file reads zeros there.
      long end = (position + 2 * RECORD + BLOCK - 1) / BLOCK * BLOCK;
      writeFully(channel, ByteBuffer.allocate((int) (end - position)), position);
    }
    copyBlobs(out, placed, progress);
  }

  /** Copies and checks the blobs on up to one thread per core; the first failure stops all. */
  private static void copyBlobs(Path out, List<Placed> placed, Progress progress)
      throws IOException {
    int threads = Math.max(1, Math.min(placed.size(), Runtime.getRuntime().availableProcessors()));
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    Object progressLock = new Object();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread thread = new Thread(r, "airgap-bundle-writer");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<Void>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(
            pool.submit(
                () -> {
                  HashBuffers buffers = new HashBuffers();
                  try (FileChannel channel =
                      FileChannel.open(out, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    for (int i = next.getAndIncrement();
                        i < placed.size() && !failed.get();
                        i = next.getAndIncrement()) {
                      copyBlob(channel, placed.get(i), failed, progress, progressLock, buffers);
                    }
                  } catch (Throwable e) { // an Error too: the other workers must stop
                    failed.set(true);
                    throw e;
                  }
                  return null;
                }));
      }
      rethrowFirstFailure(workers, failed);
    } finally {
      pool.shutdownNow();
      awaitWorkers(pool);
    }
  }

  /** Waits for the workers to let go of the bundle (they stop at their next chunk). */
  private static void awaitWorkers(ExecutorService pool) throws InterruptedIOException {
    try {
      if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        throw new InterruptedIOException("bundle writers did not stop within a minute");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while stopping the bundle writers");
    }
  }

  /** One worker's read-back buffers, reused for every blob it hashes. */
  private static final class HashBuffers {
    final ByteBuffer direct = ByteBuffer.allocateDirect(HASH_BUFFER);
    final byte[] bytes = new byte[HASH_BUFFER];
  }

  /** Waits for every worker; the first failure is thrown, later ones added to it. */
  private static void rethrowFirstFailure(List<Future<Void>> workers, AtomicBoolean failed)
      throws IOException {
    Throwable first = null;
    for (Future<Void> worker : workers) {
      try {
        worker.get();
      } catch (ExecutionException e) {
        if (first == null) {
          first = e.getCause();
        } else if (first != e.getCause()) {
          first.addSuppressed(e.getCause());
        }
      } catch (InterruptedException e) {
        failed.set(true);
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing the bundle");
      }
    }
    if (first instanceof IOException io) {
      throw io;
    }
    if (first instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (first instanceof Error error) {
      throw error;
    }
  }

  /** Kernel copy of one source into its member, then the member's bytes hashed and checked. */
  private static void copyBlob(
      FileChannel bundle,
      Placed placed,
      AtomicBoolean failed,
      Progress progress,
      Object lock,
      HashBuffers buffers)
      throws IOException {
    Blob blob = placed.blob();
    long size = blob.locked().size();
    long copied = 0;
    try (FileChannel source =
        FileChannel.open(blob.source(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      if (source.size() > size) {
        throw new IntegrityException(
            blob.source()
                + " is larger than the "
                + size
                + " bytes locked for "
                + blob.locked().path());
      }
      while (copied < size && !failed.get()) {
        bundle.position(placed.dataOffset() + copied);
        long n = source.transferTo(copied, Math.min(CHUNK, size - copied), bundle);
        if (n <= 0) {
          break; // the source ended early (shrunk while it was read): the check below says so
        }
        copied += n;
        synchronized (lock) {
          progress.advance(n);
        }
      }
    }
    if (failed.get()) {
      return;
    }
    String actual = hashWritten(bundle, placed.dataOffset(), copied, buffers);
    if (copied != size || !actual.equals(blob.locked().sha256())) {
      throw new IntegrityException(
          blob.source()
              + " is "
              + copied
              + " bytes with SHA-256 "
              + actual
              + "; the lock says "
              + size
              + " bytes with "
              + blob.locked().sha256());
    }
  }

  /** SHA-256 of {@code length} bytes of the bundle from {@code offset}, read back. */
  private static String hashWritten(
      FileChannel bundle, long offset, long length, HashBuffers buffers) throws IOException {
    MessageDigest digest = DepsFiles.digest("SHA-256");
    ByteBuffer buffer = buffers.direct;
    byte[] bytes = buffers.bytes;
    long done = 0;
    while (done < length) {
      buffer.clear().limit((int) Math.min(HASH_BUFFER, length - done));
      int n = bundle.read(buffer, offset + done);
      if (n <= 0) {
        throw new IOException("bundle ended while reading back a member at " + (offset + done));
      }
      buffer.flip().get(bytes, 0, n);
      digest.update(bytes, 0, n);
      done += n;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A ustar header for a regular file owned by no one, mode 0644, time zero. */
  static ByteBuffer header(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setModTime(0);
    entry.setMode(0644);
    entry.setUserName("");
    entry.setGroupName("");
    entry.setUserId(0);
    entry.setGroupId(0);
    byte[] header = new byte[RECORD];
    try {
      entry.writeEntryHeader(
          header, ZipEncodingHelper.getZipEncoding(StandardCharsets.UTF_8.name()), true);
    } catch (IOException e) {
      throw new InputException(
          "cannot encode the tar header of " + name + ": " + e.getMessage(), e);
    }
    return ByteBuffer.wrap(header);
  }

  private static long padded(long size) {
    return (size + RECORD - 1) / RECORD * RECORD;
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }
}
