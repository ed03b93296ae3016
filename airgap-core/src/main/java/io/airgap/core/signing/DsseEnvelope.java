package io.airgap.core.signing;

import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope: a payload, its type, and signatures over their pre-authentication encoding.
 *
 * @param payloadType the media type of the payload
 * @param payload the payload bytes exactly as received (never re-serialized before verifying)
 * @param signatures one or more signatures
 */
public record DsseEnvelope(String payloadType, byte[] payload, List<Signature> signatures) {
  /** Copies the arrays so the envelope is immutable. */
  public DsseEnvelope {
    Objects.requireNonNull(payloadType, "payloadType");
    payload = payload.clone();
    signatures = List.copyOf(signatures);
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The bytes every signature covers: {@link Dsse#pae(String, byte[])}. */
  public byte[] signedBytes() {
    return Dsse.pae(payloadType, payload);
  }

  /**
   * One DSSE signature.
   *
   * @param keyId the optional, unauthenticated key hint ({@code ""} when absent)
   * @param bytes the signature (DER for ECDSA, 64 bytes for Ed25519)
   */
  public record Signature(String keyId, byte[] bytes) {
    /** Copies the signature bytes. */
    public Signature {
      keyId = keyId == null ? "" : keyId;
      bytes = bytes.clone();
    }

    /** A copy of the signature bytes. */
    @Override
    public byte[] bytes() {
      return bytes.clone();
    }
  }
}
