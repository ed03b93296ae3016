package io.airgap.metrics;

import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;

/**
 * A host that only audits: meters its audit appends with no inference or drift class on the class
 * path. Run by {@link OptionalModulesTest} in a JVM of its own.
 */
public final class AuditOnlyMain {
  private AuditOnlyMain() {}

  /** Appends one event through the metered sink and prints the append count. */
  public static void main(String[] args) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AirgapMetrics metrics = AirgapMetrics.on(registry);
    metrics
        .auditSink(event -> new AuditReceipt(0, new byte[32]))
        .append(
            AuditEvent.builder("model.verify")
                .timestamp(Instant.EPOCH)
                .actor("host")
                .subject("m@sha256:00")
                .build());
    System.out.println("appends " + registry.get(AirgapMetrics.AUDIT_APPEND).timer().count());
  }
}
