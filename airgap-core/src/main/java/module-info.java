/**
 * airgap core: digests, OMS model manifests and signatures, keys, trust policies, and the small
 * interfaces the other airgap modules meet through ({@code AuditSink}).
 *
 * <p>{@code io.airgap.core.internal} holds plumbing shared by airgap's own modules (strict JSON,
 * the signature file codec, DSSE encoding, OMS statements, parallel hashing, hostile-path rules);
 * it is exported to them only and may change in any release.
 */
module io.airgap.core {
  // DsseEnvelope reads and writes Jackson trees.
  requires transitive com.fasterxml.jackson.databind;
  requires org.bouncycastle.provider;
  requires org.bouncycastle.pkix;
  requires org.bouncycastle.util;
  requires org.slf4j;

  exports io.airgap.core;
  exports io.airgap.core.audit;
  exports io.airgap.core.digest;
  exports io.airgap.core.manifest;
  exports io.airgap.core.signing;
  exports io.airgap.core.trust;
  exports io.airgap.core.internal to
      io.airgap.audit,
      io.airgap.drift,
      io.airgap.inference,
      io.airgap.deps,
      io.airgap.testing;
}
