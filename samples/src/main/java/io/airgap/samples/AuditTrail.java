package io.airgap.samples;

import io.airgap.audit.AuditLog;
import io.airgap.audit.AuditLogReader;
import io.airgap.audit.AuditVerifier;
import io.airgap.audit.Checkpoint;
import io.airgap.audit.TlogProof;
import io.airgap.audit.note.NoteSigner;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Keep a tamper-evident audit trail: append events to a log whose checkpoints are signed notes,
 * verify the whole log, and export one entry with its inclusion proof (a C2SP tlog-proof) that an
 * auditor checks with nothing but the log's public key.
 */
public final class AuditTrail {
  private AuditTrail() {}

  /**
   * What the sample saw.
   *
   * @param verified the log's checkpoint after verifying every entry and tile
   * @param proof the exported proof file
   * @param proven the checkpoint the proof checks against, seen by the auditor
   */
  public record Outcome(Checkpoint verified, Path proof, Checkpoint proven) {}

  /** Runs in a fresh temporary workspace. */
  public static void main(String[] args) throws IOException {
    run(Workspace.fresh("audit"), System.out);
  }

  /** Runs in {@code work}, telling {@code out} what happens. */
  public static Outcome run(Path work, PrintStream out) throws IOException {
    NoteSigner key = NoteSigner.generate("samples.airgap.local/audit");
    Files.writeString(work.resolve("audit.vkey"), key.verifier().toString() + "\n");
    Path directory = work.resolve("audit");
    AuditReceipt load;
    try (AuditLog log = AuditLog.builder(directory).origin(key.name()).signer(key).open()) {
      log.append(event("operator", "model.sign", "success"));
      load = log.append(event("svc-inference", "model.load", "success"));
      log.append(event("svc-inference", "model.run", "success"));
    }
    out.println("appended 3 events to " + directory);

    Checkpoint verified = new AuditVerifier(List.of(key.verifier())).verify(directory);
    out.println("log verified: " + verified.size() + " entries under " + verified.origin());

    AuditLogReader reader = AuditLogReader.open(directory, List.of(key.verifier()));
    TlogProof proof = reader.prove(load.index());
    Path proofFile = work.resolve("model-load.tlog-proof");
    Files.writeString(proofFile, proof.encode());
    Path entryFile = work.resolve("model-load.tlog-proof.entry");
    Files.write(entryFile, reader.entry(load.index()));
    out.println("exported entry " + load.index() + " with its proof: " + proofFile);

    // The auditor's side: the proof, the entry and the log's public key, nothing else.
    Checkpoint proven =
        TlogProof.parse(Files.readAllBytes(proofFile), proofFile.toString())
            .verify(Files.readAllBytes(entryFile), List.of(key.verifier()));
    out.println(
        "auditor: entry "
            + load.index()
            + " is in "
            + proven.origin()
            + " at size "
            + proven.size()
            + ": "
            + new String(Files.readAllBytes(entryFile), StandardCharsets.UTF_8));
    return new Outcome(verified, proofFile, proven);
  }

  private static AuditEvent event(String actor, String action, String outcome) {
    return new AuditEvent(
        Instant.now(), actor, action, "iris@sha256:" + "0".repeat(64), outcome, Map.of());
  }
}
