package io.airgap.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.signing.DsseEnvelope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A trust policy in its DSSE envelope: the exact payload bytes that were signed, the signatures,
 * and the policy parsed from them. Immutable. Signatures are not checked here; see {@link
 * PolicyChain}.
 *
 * @param policy the policy the payload holds
 * @param envelope the envelope, payload as signed
 * @param digest SHA-256 of the payload, which identifies this exact policy
 */
public record SignedPolicy(TrustPolicy policy, DsseEnvelope envelope, Digest digest) {
  /** The DSSE payload type of a trust policy. */
  public static final String PAYLOAD_TYPE = "application/vnd.airgap.trust-policy+json";

  /** The largest signed policy file read: far above any real one. */
  public static final long MAX_BYTES = 4L * 1024 * 1024;

  /** Checks all parts are present. */
  public SignedPolicy {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(digest, "digest");
  }

  /** Wraps a policy in an envelope without signatures yet. */
  public static SignedPolicy unsigned(TrustPolicy policy) {
    byte[] payload = TrustPolicyCodec.write(policy);
    return new SignedPolicy(
        policy,
        new DsseEnvelope(PAYLOAD_TYPE, payload, java.util.List.of()),
        HashAlgorithm.SHA256.hash(payload));
  }

  /**
   * Reads a signed policy file.
   *
   * @throws FormatException when the envelope or the policy is malformed
   * @throws InputException when the file cannot be read
   */
  public static SignedPolicy read(Path path) {
    return parse(readBytes(path), "policy file " + path);
  }

  /**
   * Reads a signed policy file, or a draft (the plain policy document, as {@link
   * TrustPolicyCodec#write} writes it) as a policy without signatures yet; what a tool that shows
   * or signs either kind reads.
   *
   * @throws FormatException when the file is neither a well-formed envelope nor a well-formed
   *     policy
   * @throws InputException when the file cannot be read
   */
  public static SignedPolicy readSignedOrDraft(Path path) {
    byte[] bytes = readBytes(path);
    String where = "policy file " + path;
    JsonNode node = StrictJson.readObject(bytes, where);
    if (node.has("payloadType")) {
      return fromJson(node, where);
    }
    return unsigned(TrustPolicyCodec.parse(bytes, where));
  }

  private static byte[] readBytes(Path path) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new InputException("policy file " + path + " does not exist", e);
    } catch (IOException e) {
      throw new InputException("cannot read policy file " + path + ": " + e.getMessage(), e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new FormatException(
          "policy file " + path + " is larger than the limit of " + MAX_BYTES + " bytes");
    }
    return bytes;
  }

  /** Parses a signed policy; {@code where} names it in errors. */
  public static SignedPolicy parse(byte[] json, String where) {
    return fromJson(StrictJson.readObject(json, where), where);
  }

  /** Reads a signed policy from its envelope object. */
  static SignedPolicy fromJson(JsonNode node, String where) {
    StrictJson.requireOnly(node, java.util.Set.of("payload", "payloadType", "signatures"), where);
    DsseEnvelope envelope = DsseEnvelope.fromJson(node, PAYLOAD_TYPE, where);
    byte[] payload = envelope.payload();
    TrustPolicy policy = TrustPolicyCodec.parse(payload, where + " payload");
    return new SignedPolicy(policy, envelope, HashAlgorithm.SHA256.hash(payload));
  }

  /** The signed policy file's bytes. */
  public byte[] toJson() {
    return StrictJson.writePretty(envelope.toJson());
  }

  /** A copy with one more signature over the same payload. */
  public SignedPolicy withSignature(DsseEnvelope.Signature signature) {
    return new SignedPolicy(policy, envelope.withSignature(signature), digest);
  }

  /** The policy version. */
  public long version() {
    return policy.version();
  }
}
