package io.airgap.audit;

import io.airgap.audit.note.NoteSigner;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * A child JVM for the crash test: appends durably from four threads until killed, printing each
 * receipt only after append returned it.
 */
public final class CrashChild {
  private CrashChild() {}

  /** Arguments: the log directory and the signer key string. */
  public static void main(String[] args) throws Exception {
    NoteSigner signer = NoteSigner.parse(args[1]);
    AuditLog log = AuditLog.builder(Path.of(args[0])).origin(signer.name()).signer(signer).open();
    // One append first, so the kill window falls on warm code rather than class loading.
    AuditReceipt warm =
        log.append(new AuditEvent(Instant.now(), "main", "crash.warmup", "-", "success", Map.of()));
    System.out.println(warm.index() + " " + Base64.getEncoder().encodeToString(warm.leafHash()));
    System.out.println("open " + log.checkpoint().size());
    System.out.flush();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; ; i++) {
                  AuditReceipt receipt =
                      log.append(
                          new AuditEvent(
                              Instant.now(),
                              "t" + thread,
                              "crash.test",
                              "entry-" + i,
                              "success",
                              Map.of()));
                  synchronized (System.out) {
                    System.out.println(
                        receipt.index()
                            + " "
                            + Base64.getEncoder().encodeToString(receipt.leafHash()));
                    System.out.flush();
                  }
                }
              });
      writer.start();
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
