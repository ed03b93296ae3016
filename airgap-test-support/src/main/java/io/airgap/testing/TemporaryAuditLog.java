package io.airgap.testing;

import io.airgap.audit.AuditLog;
import io.airgap.audit.AuditLogReader;
import io.airgap.audit.AuditVerifier;
import io.airgap.audit.Checkpoint;
import io.airgap.audit.Durability;
import io.airgap.audit.note.NoteSigner;
import io.airgap.audit.note.NoteVerifier;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An audit log in a directory of the test's, signed with a key made for it, to hand to code under
 * test as its {@link AuditSink} and to verify and read afterwards.
 *
 * <pre>{@code
 * try (TemporaryAuditLog audit = TemporaryAuditLog.open(tmp.resolve("audit"))) {
 *   try (VerifiedModel model = VerifiedModel.builder(dir)
 *       .verifier(verifier).auditSink(audit.sink(), "test").load()) {
 *     ...
 *   }
 *   assertThat(audit.actions()).contains("model.load");
 *   audit.verify();
 * }
 * }</pre>
 *
 * <p>Appends are durable (each waits for its signed checkpoint), so what a test reads after an
 * append is on disk. Thread-safe as {@link AuditLog} is.
 */
public final class TemporaryAuditLog implements AutoCloseable {
  /** The origin line of the log's checkpoints. */
  public static final String ORIGIN = "airgap.test/audit";

  private final AuditLog log;
  private final NoteSigner signer;

  private TemporaryAuditLog(AuditLog log, NoteSigner signer) {
    this.log = log;
    this.signer = signer;
  }

  /** Opens a new log in {@code directory}, which must not exist yet or be empty. */
  public static TemporaryAuditLog open(Path directory) {
    try {
      if (Files.isDirectory(directory)) {
        try (var entries = Files.list(directory)) {
          if (entries.findAny().isPresent()) {
            throw new IllegalArgumentException("not an empty directory: " + directory);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
    NoteSigner signer = NoteSigner.generate(ORIGIN);
    AuditLog log =
        AuditLog.builder(directory)
            .origin(ORIGIN)
            .signer(signer)
            .durability(Durability.DURABLE)
            .open();
    return new TemporaryAuditLog(log, signer);
  }

  /** The log, as the sink that SDK components take. */
  public AuditSink sink() {
    return log;
  }

  /** The log itself. */
  public AuditLog log() {
    return log;
  }

  /** The key that verifies the log's checkpoints. */
  public NoteVerifier verifierKey() {
    return signer.verifier();
  }

  /** Verifies the whole log on disk: every tile, entry and the signed checkpoint. */
  public Checkpoint verify() {
    return new AuditVerifier(List.of(signer.verifier()), ORIGIN).verify(log.directory());
  }

  /** Every entry committed so far, in log order, read back from disk and parsed. */
  public List<AuditEvent> events() {
    AuditLogReader reader = AuditLogReader.open(log.directory(), List.of(signer.verifier()));
    List<AuditEvent> events = new ArrayList<>();
    for (long i = 0; i < reader.checkpoint().size(); i++) {
      events.add(AuditEvent.parse(reader.entry(i), "audit entry " + i));
    }
    return events;
  }

  /** The {@code action} of every entry committed so far, in log order. */
  public List<String> actions() {
    return events().stream().map(AuditEvent::action).toList();
  }

  /** Closes the log; its files stay for the test to inspect. */
  @Override
  public void close() {
    log.close();
  }
}
