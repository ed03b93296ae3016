package io.airgap.audit;

import io.airgap.audit.note.NoteSigner;
import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import io.airgap.core.audit.AuditSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An append-only, tamper-evident audit log in a directory laid out as C2SP tlog-tiles: entry
 * bundles, hash tiles and a {@code checkpoint} signed as a C2SP signed note (Ed25519).
 *
 * <p>Appends are group-committed: one thread writes each batch of entries, their tiles and one
 * signed checkpoint covering them, then releases every caller of the batch at once. In {@link
 * Durability#DURABLE} mode (the default) a caller returns only after all of that is fsynced. After
 * a crash at any instant the log reopens at its last checkpoint; files written beyond it by an
 * interrupted batch are never referenced and are overwritten by the next commits.
 *
 * <p>Thread-safe: any number of threads may append at once. One process at a time: the directory is
 * locked while open. Close it to release the lock.
 */
public final class AuditLog implements AuditSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final String CHECKPOINT = "checkpoint";
  private static final String LOCK = ".lock";

  private final Path directory;
  private final String origin;
  private final NoteSigner signer;
  private final Durability durability;
  private final int batchSize;
  private final Duration maxBatchDelay;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread committer;
  private final java.util.concurrent.ExecutorService flushers =
      java.util.concurrent.Executors.newFixedThreadPool(
          8,
          runnable -> {
            Thread thread = new Thread(runnable, "airgap-audit-flush");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean closed;
  private volatile Throwable failure;

  /** Logs open in this JVM, by real path: a second open must fail before touching the lock file. */
  private static final java.util.Set<Path> OPEN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Path registered;
  private volatile Checkpoint checkpoint;
  private LogWriterState state;

  private record Pending(byte[] entry, CompletableFuture<AuditReceipt> receipt) {}

  private AuditLog(Builder builder) {
    this.directory = builder.directory;
    this.origin = builder.origin;
    this.signer = builder.signer;
    this.durability = builder.durability;
    this.batchSize = builder.batchSize;
    this.maxBatchDelay = builder.maxBatchDelay;
    try {
      Files.createDirectories(directory);
      this.registered = directory.toRealPath();
    } catch (IOException e) {
      throw new InputException("cannot open audit log " + directory + ": " + e.getMessage(), e);
    }
    if (!OPEN.add(registered)) {
      throw new InputException(
          "audit log " + directory + " is already open in this process; one writer at a time");
    }
    try {
      this.lockChannel =
          FileChannel.open(
              directory.resolve(LOCK),
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      this.lock = tryLock(lockChannel);
    } catch (IOException e) {
      throw new InputException("cannot open audit log " + directory + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      String holder = holder();
      closeQuietly();
      throw new InputException(
          "audit log "
              + directory
              + " is already open in another process"
              + holder
              + "; one writer at a time");
    }
    recordHolder();
    try {
      recover();
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    committer = new Thread(this::commitLoop, "airgap-audit-commit");
    committer.setDaemon(true);
    committer.start();
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      // This JVM already holds it.
      return null;
    }
  }

  /** A builder for a log in {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /** The latest signed checkpoint. */
  public Checkpoint checkpoint() {
    return checkpoint;
  }

  /** The log directory. */
  public Path directory() {
    return directory;
  }

  /**
   * Appends an event and returns its receipt once the durability mode's promise holds.
   *
   * @throws io.airgap.core.FormatException when the event is larger than 65,535 bytes encoded
   * @throws AirgapException when the commit failed (for example a full disk); the log stays valid
   */
  @Override
  public AuditReceipt append(AuditEvent event) {
    try {
      return appendAsync(event).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new AirgapException("append failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Queues an event; the future completes with its receipt when its batch is committed, or
   * exceptionally when the commit fails.
   *
   * @throws io.airgap.core.FormatException at once when the event is too large
   */
  public CompletableFuture<AuditReceipt> appendAsync(AuditEvent event) {
    return appendEntry(event.canonicalJson());
  }

  /** Appends raw entry bytes (at most 65,535), for callers with their own entry format. */
  public CompletableFuture<AuditReceipt> appendEntry(byte[] entry) {
    if (entry.length > AuditEvent.MAX_BYTES) {
      throw new io.airgap.core.FormatException(
          "audit entry is "
              + entry.length
              + " bytes, more than the limit of "
              + AuditEvent.MAX_BYTES);
    }
    CompletableFuture<AuditReceipt> receipt = new CompletableFuture<>();
    synchronized (queue) {
      if (closed) {
        Throwable reason = failure;
        throw reason == null
            ? new AirgapException("audit log " + directory + " is closed")
            : new AirgapException(
                "audit log " + directory + " stopped: " + reason.getMessage(), reason);
      }
      queue.add(new Pending(entry.clone(), receipt));
    }
    return receipt;
  }

  private void commitLoop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        gather(batch);
        commit(batch);
      } catch (RuntimeException | Error e) {
        batch.forEach(pending -> pending.receipt().completeExceptionally(e));
        stop(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    failRemaining(new AirgapException("audit log " + directory + " was closed"));
  }

  private void gather(List<Pending> batch) throws InterruptedException {
    queue.drainTo(batch, batchSize - batch.size());
    long deadline = System.nanoTime() + maxBatchDelay.toNanos();
    while (batch.size() < batchSize) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        return;
      }
      batch.add(next);
      queue.drainTo(batch, batchSize - batch.size());
    }
  }

  private void commit(List<Pending> batch) {
    List<AuditReceipt> receipts = new ArrayList<>(batch.size());
    LogFiles files = new LogFiles(flushers);
    try {
      for (Pending pending : batch) {
        long index = state.size();
        receipts.add(new AuditReceipt(index, state.append(pending.entry())));
      }
      for (LogWriterState.PendingFile file : state.drainFiles()) {
        files.stage(file.path(), file.bytes());
      }
    } catch (RuntimeException e) {
      fail(batch, e);
      return;
    }
    if (durability == Durability.BUFFERED) {
      complete(batch, receipts);
    }
    try {
      files.commit();
    } catch (RuntimeException e) {
      if (durability == Durability.BUFFERED) {
        stop(e);
      } else {
        fail(batch, e);
      }
      return;
    }
    // Only once every tile and bundle is durable may a checkpoint point at them. From the moment
    // it is signed, a failure must not let this process sign another root for the same size.
    try {
      Checkpoint next = new Checkpoint(origin, state.size(), state.root());
      LogFiles last = new LogFiles(flushers);
      last.stage(directory.resolve(CHECKPOINT), next.sign(signer).getBytes(StandardCharsets.UTF_8));
      last.commit();
      checkpoint = next;
    } catch (RuntimeException e) {
      if (durability == Durability.DURABLE) {
        batch.forEach(pending -> pending.receipt().completeExceptionally(e));
      }
      stop(e);
      return;
    }
    if (durability == Durability.DURABLE) {
      complete(batch, receipts);
    }
  }

  private static void complete(List<Pending> batch, List<AuditReceipt> receipts) {
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).receipt().complete(receipts.get(i));
    }
  }

  /**
   * A commit failed before anything was signed: reopen at the checkpoint, then fail its callers. In
   * that order, so a caller that sees the failure finds the log already recovered (and whatever it
   * does next, fixing the disk say, cannot race the recovery).
   */
  private void fail(List<Pending> batch, RuntimeException e) {
    LOG.error(
        "audit commit of {} entries failed; reopening at the last checkpoint", batch.size(), e);
    try {
      recover();
    } catch (RuntimeException unrecoverable) {
      stop(unrecoverable);
    } finally {
      batch.forEach(pending -> pending.receipt().completeExceptionally(e));
    }
  }

  /** Refuses every later append; the log must be reopened (which recovers it) to continue. */
  private void stop(Throwable reason) {
    LOG.error("audit log {} stopped; reopen it to recover", directory, reason);
    failure = reason;
    synchronized (queue) {
      closed = true;
    }
    failRemaining(
        new AirgapException("audit log " + directory + " stopped: " + reason.getMessage(), reason));
  }

  /** Reloads the right edge from the last checkpoint on disk, checking it against the tiles. */
  private void recover() {
    Path file = directory.resolve(CHECKPOINT);
    byte[] note;
    try {
      note = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (!TileFiles.list(directory).isEmpty()) {
        // Never start over on top of entries: sizes already signed would be signed again.
        throw new LogCorruptedException(
            file
                + " is missing but "
                + directory.resolve("tile")
                + " holds entries; restore the"
                + " checkpoint from a backup");
      }
      deleteStaleCheckpoint();
      state = LogWriterState.load(directory, 0);
      checkpoint = new Checkpoint(origin, 0, state.root());
      return;
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
    }
    Checkpoint onDisk = Checkpoint.open(note, List.of(signer.verifier()), file.toString());
    if (!onDisk.origin().equals(origin)) {
      throw new LogCorruptedException(
          file + " is for origin '" + onDisk.origin() + "', not '" + origin + "'");
    }
    deleteStaleCheckpoint();
    TileFiles.pruneBeyond(directory, onDisk.size());
    LogWriterState loaded = LogWriterState.load(directory, onDisk.size());
    if (!java.security.MessageDigest.isEqual(loaded.root(), onDisk.root())) {
      throw new LogCorruptedException(
          "the tiles of " + directory + " do not match its checkpoint at size " + onDisk.size());
    }
    state = loaded;
    checkpoint = onDisk;
  }

  /** A checkpoint signed by a commit that never completed must never be served. */
  private void deleteStaleCheckpoint() {
    try {
      if (Files.deleteIfExists(directory.resolve(LogFiles.temporaryName(CHECKPOINT)))) {
        LogFiles.flushDirectory(directory);
      }
    } catch (IOException e) {
      throw new InputException("cannot remove the unfinished checkpoint in " + directory, e);
    }
  }

  private void failRemaining(RuntimeException reason) {
    Pending pending;
    while ((pending = queue.poll()) != null) {
      pending.receipt().completeExceptionally(reason);
    }
  }

  private String holder() {
    try {
      String pid = Files.readString(directory.resolve(LOCK), StandardCharsets.US_ASCII).trim();
      return pid.isEmpty() ? "" : " (process " + pid + ")";
    } catch (IOException e) {
      return "";
    }
  }

  private void recordHolder() {
    try {
      lockChannel.truncate(0);
      lockChannel.write(
          ByteBuffer.wrap(
              Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException e) {
      LOG.debug("cannot record the lock holder in {}", directory, e);
    }
  }

  /** Commits everything queued, stops the committing thread and releases the directory lock. */
  @Override
  public void close() {
    synchronized (queue) {
      closed = true;
    }
    try {
      committer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
  }

  private void closeQuietly() {
    OPEN.remove(registered);
    flushers.shutdownNow();
    try {
      if (lock != null) {
        lock.release();
      }
      lockChannel.close();
    } catch (IOException e) {
      LOG.debug("cannot release the lock of {}", directory, e);
    }
  }

  /** Configures an {@link AuditLog}. Not thread-safe. */
  public static final class Builder {
    private final Path directory;
    private String origin;
    private NoteSigner signer;
    private Durability durability = Durability.DURABLE;
    private int batchSize = 4096;
    private Duration maxBatchDelay = Duration.ZERO;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * The origin line of every checkpoint (required), for example {@code audit.example.org/host7}.
     */
    public Builder origin(String origin) {
      if (origin == null || origin.isEmpty() || origin.contains("\n")) {
        throw new IllegalArgumentException("the origin must be one non-empty line");
      }
      this.origin = origin;
      return this;
    }

    /** The Ed25519 key that signs checkpoints (required). */
    public Builder signer(NoteSigner signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** {@link Durability#DURABLE} (default) or {@link Durability#BUFFERED}. */
    public Builder durability(Durability durability) {
      this.durability = Objects.requireNonNull(durability, "durability");
      return this;
    }

    /** The most entries one commit takes; default 4096. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /**
     * How long a commit waits for more entries before it starts; default zero (take what is queued:
     * entries that arrive during a commit form the next batch).
     */
    public Builder maxBatchDelay(Duration maxBatchDelay) {
      if (maxBatchDelay.isNegative()) {
        throw new IllegalArgumentException("batch delay must not be negative: " + maxBatchDelay);
      }
      this.maxBatchDelay = maxBatchDelay;
      return this;
    }

    /**
     * Opens the log, creating the directory if needed and reopening at its last checkpoint.
     *
     * @throws InputException when another process holds the log
     * @throws LogCorruptedException when the checkpoint or the tiles are not valid
     */
    public AuditLog open() {
      if (origin == null || signer == null) {
        throw new IllegalStateException("an origin and a signer are required");
      }
      return new AuditLog(this);
    }
  }
}
