package io.airgap.core.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.Dsse;
import io.airgap.core.internal.ResourceNames;
import io.airgap.core.internal.StrictJson;
import java.util.ArrayList;
import java.util.Base64;
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

  /** The most signatures one envelope may carry; each costs a signature check. */
  public static final int MAX_SIGNATURES = 32;

  /**
   * Reads a DSSE envelope object ({@code payloadType}, base64 {@code payload}, {@code signatures[]}
   * of {@code keyid} and base64 {@code sig}).
   *
   * @param expectedPayloadType the only payload type accepted
   * @throws FormatException naming the malformed field
   */
  public static DsseEnvelope fromJson(JsonNode node, String expectedPayloadType, String where) {
    String payloadType = StrictJson.text(node, "payloadType", where);
    if (!expectedPayloadType.equals(payloadType)) {
      throw new FormatException(
          where
              + ": payloadType is '"
              + ResourceNames.printable(payloadType)
              + "', expected '"
              + expectedPayloadType
              + "'");
    }
    byte[] payload = StrictJson.base64(node, "payload", where);
    JsonNode signatures = StrictJson.array(node, "signatures", where);
    if (signatures.isEmpty()) {
      throw new FormatException(where + ": the DSSE envelope has no signature");
    }
    if (signatures.size() > MAX_SIGNATURES) {
      throw new FormatException(
          where
              + ": the DSSE envelope has "
              + signatures.size()
              + " signatures, more than the limit of "
              + MAX_SIGNATURES);
    }
    List<Signature> parsed = new ArrayList<>();
    for (int i = 0; i < signatures.size(); i++) {
      JsonNode signature = signatures.get(i);
      String at = where + ": signatures[" + i + "]";
      if (!signature.isObject()) {
        throw new FormatException(at + " must be an object");
      }
      String keyId = StrictJson.optionalText(signature, "keyid", at);
      parsed.add(new Signature(keyId, StrictJson.base64(signature, "sig", at)));
    }
    return new DsseEnvelope(payloadType, payload, parsed);
  }

  /** The envelope as a JSON object, in the field order {@code model_signing} writes. */
  public ObjectNode toJson() {
    ObjectNode node = StrictJson.mapper().createObjectNode();
    node.put("payload", Base64.getEncoder().encodeToString(payload));
    node.put("payloadType", payloadType);
    ArrayNode array = node.putArray("signatures");
    for (Signature signature : signatures) {
      array
          .addObject()
          .put("sig", Base64.getEncoder().encodeToString(signature.bytes()))
          .put("keyid", signature.keyId());
    }
    return node;
  }

  /** A copy with one more signature. */
  public DsseEnvelope withSignature(Signature signature) {
    List<Signature> all = new ArrayList<>(signatures);
    all.add(signature);
    return new DsseEnvelope(payloadType, payload, all);
  }

  /** The bytes every signature covers: {@link Dsse#pae(String, byte[])}. */
  public byte[] signedBytes() {
    return Dsse.pae(payloadType, payload);
  }

  /** The bytes {@code model_signing} 0.2 signed instead: {@code Dsse.modelSigningV02Pae}. */
  byte[] modelSigningV02SignedBytes() {
    return Dsse.modelSigningV02Pae(payloadType, payload);
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
