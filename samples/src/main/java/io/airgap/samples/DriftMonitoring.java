package io.airgap.samples;

import io.airgap.audit.AuditLog;
import io.airgap.audit.note.NoteSigner;
import io.airgap.core.audit.AuditSink;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.drift.DriftHtml;
import io.airgap.drift.DriftProfile;
import io.airgap.drift.monitor.DriftMonitor;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.VerifiedModel;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Watch a running model for drift: profile its inputs and outputs on validation data, then let a
 * {@link DriftMonitor} compare each window of live traffic with that reference and record every
 * decision in the audit log. The first window looks like the reference; the second comes from a
 * recalibrated sensor and drifts.
 */
public final class DriftMonitoring {
  /** Rows per drift window: one pass over the 75 sample flowers. */
  public static final int WINDOW_ROWS = 75;

  private static final int CALLER_BATCH = 5;

  private DriftMonitoring() {}

  /**
   * What the sample saw.
   *
   * @param decisions one per window, in order
   * @param htmlReport the drifted window's report, a self-contained HTML page
   */
  public record Outcome(List<DriftMonitor.Decision> decisions, Path htmlReport) {}

  /** Runs in a fresh temporary workspace. */
  public static void main(String[] args) {
    run(Workspace.fresh("drift"), System.out);
  }

  /** Runs in {@code work}, telling {@code out} what happens. */
  public static Outcome run(Path work, PrintStream out) {
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    Path dir = work.resolve("iris");
    SampleModel.writeSigned(dir, key);
    NoteSigner auditKey = NoteSigner.generate("samples.airgap.local/drift");
    List<DriftMonitor.Decision> decisions = new ArrayList<>();
    try (AuditLog log =
            AuditLog.builder(work.resolve("audit"))
                .origin(auditKey.name())
                .signer(auditKey)
                .open();
        VerifiedModel model =
            VerifiedModel.builder(dir)
                .verifier(ModelVerifier.builder().publicKey(key.publicKey()).build())
                .workDirectory(work.resolve("snapshots"))
                .load()) {
      DriftProfile reference = referenceProfile(model, Iris.reference());
      DriftMonitor monitor = monitor(reference, log, decisions::add);
      try (InferenceSession serving = InferenceSession.builder(model).listener(monitor).open()) {
        serve(serving, Iris.reference());
        serve(serving, Iris.shifted(Iris.reference()));
      }
      decisions.forEach(decision -> out.println(describe(decision)));
      out.println(
          "audit log " + log.directory() + " holds " + log.checkpoint().size() + " entries");
      Path html = writeReport(reference, decisions.get(decisions.size() - 1), work);
      out.println("drift report: " + html);
      return new Outcome(decisions, html);
    }
  }

  /**
   * The reference: the model's inputs and outputs on validation data, profiled. A separate session
   * runs it, so the validation runs never reach the live monitor.
   */
  public static DriftProfile referenceProfile(VerifiedModel model, List<Iris.Flower> flowers) {
    try (InferenceSession validation = InferenceSession.builder(model).open()) {
      float[] probabilities =
          validation.run(SampleModel.input(flowers)).get(SampleModel.OUTPUT).floats();
      List<Map<String, Object>> rows = new ArrayList<>();
      for (int r = 0; r < flowers.size(); r++) {
        rows.add(Iris.row(flowers.get(r).measurements(), probabilities, r * 3));
      }
      return DriftProfile.builder()
          .exactLimit(1_000)
          .buildFromRows(rows, new ArrayList<>(rows.get(0).keySet()), List.of());
    }
  }

  /** A monitor of the four measurements and the three class probabilities, audited. */
  public static DriftMonitor monitor(
      DriftProfile reference, AuditSink audit, Consumer<DriftMonitor.Decision> onDecision) {
    return DriftMonitor.builder(reference)
        .columns(SampleModel.INPUT, Iris.FEATURES.toArray(String[]::new))
        .columns(
            SampleModel.OUTPUT, Iris.SPECIES.stream().map(s -> "p_" + s).toArray(String[]::new))
        .windowRows(WINDOW_ROWS)
        .auditSink(audit, "drift-monitor")
        .onDecision(onDecision)
        .build();
  }

  /** Live traffic: callers sending a few flowers at a time. */
  public static void serve(InferenceSession session, List<Iris.Flower> flowers) {
    for (int start = 0; start < flowers.size(); start += CALLER_BATCH) {
      List<Iris.Flower> part =
          flowers.subList(start, Math.min(flowers.size(), start + CALLER_BATCH));
      session.run(SampleModel.input(part));
    }
  }

  /** One line for people: the window's size, its verdict and the features that drifted. */
  public static String describe(DriftMonitor.Decision decision) {
    return "window of "
        + decision.window().rows()
        + " rows: "
        + (decision.drifted() ? "DRIFTED" : "stable")
        + ", drifted features "
        + decision.driftedFeatures();
  }

  /** Writes the decision's report as {@code drift-report.html} in {@code dir}. */
  public static Path writeReport(DriftProfile reference, DriftMonitor.Decision decision, Path dir) {
    Path html = dir.resolve("drift-report.html");
    try {
      Files.writeString(
          html, DriftHtml.render(decision.report(), reference, decision.window().profile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + html, e);
    }
    return html;
  }
}
