package io.airgap.benchmarks;

import io.airgap.audit.AuditLog;
import io.airgap.audit.AuditLogReader;
import io.airgap.audit.AuditVerifier;
import io.airgap.audit.note.NoteSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable appends of 200-byte entries from 8 threads into the audit log and, in the same run, into
 * SQLite (WAL, synchronous=FULL, one insert per transaction), then full verification of the log and
 * inclusion proofs from its tiles.
 *
 * <p>Usage: {@code AuditAppendThroughput WORK_DIR AUDIT_ENTRIES SQLITE_SECONDS}. Prints {@code name
 * value unit} lines.
 */
public final class AuditAppendThroughput {
  private static final int THREADS = 8;
  private static final int IN_FLIGHT_PER_THREAD = 2048;

  private AuditAppendThroughput() {}

  /** Runs the comparison. */
  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]));
    long entries = Long.parseLong(args[1]);
    int sqliteSeconds = Integer.parseInt(args[2]);
    byte[] entry = new byte[200];
    java.util.Arrays.fill(entry, (byte) 'a');

    NoteSigner signer = NoteSigner.generate("bench.example.org/audit");
    Path logDir = work.resolve("audit-" + System.nanoTime());
    double auditRate;
    try (AuditLog log = AuditLog.builder(logDir).origin(signer.name()).signer(signer).open()) {
      auditRate = appendAudit(log, entry, entries);
    }
    System.out.printf("audit-durable-appends %.0f entries/s%n", auditRate);

    double sqliteRate =
        appendSqlite(work.resolve("bench-" + System.nanoTime() + ".db"), entry, sqliteSeconds);
    System.out.printf("sqlite-full-appends %.0f entries/s%n", sqliteRate);
    System.out.printf("ratio %.1f x%n", auditRate / sqliteRate);

    long start = System.nanoTime();
    long size = new AuditVerifier(List.of(signer.verifier())).verify(logDir).size();
    System.out.printf("verify-%d-entries %.3f s%n", size, (System.nanoTime() - start) / 1e9);

    AuditLogReader reader = AuditLogReader.open(logDir, List.of(signer.verifier()));
    int proofs = 10_000;
    start = System.nanoTime();
    for (int i = 0; i < proofs; i++) {
      reader.prove((i * 7919L) % size);
    }
    System.out.printf(
        "inclusion-proof-at-%d %.1f us%n", size, (System.nanoTime() - start) / 1e3 / proofs);
  }

  private static double appendAudit(AuditLog log, byte[] entry, long total) throws Exception {
    AtomicLong remaining = new AtomicLong(total);
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < THREADS; t++) {
      Thread thread =
          new Thread(
              () -> {
                ArrayDeque<CompletableFuture<?>> window = new ArrayDeque<>();
                while (remaining.getAndDecrement() > 0) {
                  window.add(log.appendEntry(entry));
                  if (window.size() >= IN_FLIGHT_PER_THREAD) {
                    window.poll().join();
                  }
                }
                window.forEach(CompletableFuture::join);
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return total / ((System.nanoTime() - start) / 1e9);
  }

  private static double appendSqlite(Path file, byte[] entry, int seconds) throws Exception {
    try (Connection setup = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement statement = setup.createStatement()) {
      statement.execute("PRAGMA journal_mode=WAL");
      statement.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, entry BLOB NOT NULL)");
    }
    AtomicLong done = new AtomicLong();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < THREADS; t++) {
      Thread thread =
          new Thread(
              () -> {
                try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
                  try (Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA synchronous=FULL");
                    statement.execute("PRAGMA busy_timeout=60000");
                  }
                  connection.setAutoCommit(true);
                  try (PreparedStatement insert =
                      connection.prepareStatement("INSERT INTO log (entry) VALUES (?)")) {
                    while (System.nanoTime() < deadline) {
                      insert.setBytes(1, entry);
                      insert.executeUpdate();
                      done.incrementAndGet();
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return done.get() / ((System.nanoTime() - start) / 1e9);
  }
}
