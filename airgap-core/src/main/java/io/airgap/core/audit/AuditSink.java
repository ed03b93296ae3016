package io.airgap.core.audit;

/**
 * Where modules record what they did: inference writes model loads and runs, verification its
 * outcomes, drift monitoring its decisions. The airgap-audit module implements it with a
 * tamper-evident log; a host may implement it otherwise. Implementations must be thread-safe.
 */
public interface AuditSink {
  /**
   * Records an event and returns once the implementation's durability promise holds.
   *
   * @return the entry's receipt
   * @throws io.airgap.core.AirgapException when the event cannot be recorded
   */
  AuditReceipt append(AuditEvent event);
}
