/**
 * airgap audit: an append-only, tamper-evident log of audit events (RFC 6962 Merkle tree, C2SP
 * checkpoints, signed notes and tiles), its verifier, and exported inclusion and consistency
 * proofs.
 */
module io.airgap.audit {
  requires transitive io.airgap.core;
  requires org.bouncycastle.provider;
  requires org.slf4j;

  exports io.airgap.audit;
  exports io.airgap.audit.note;
  exports io.airgap.audit.tree;
}
