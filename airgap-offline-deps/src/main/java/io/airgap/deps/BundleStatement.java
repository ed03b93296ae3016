package io.airgap.deps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.Dsse;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.signing.DsseEnvelope;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureException;
import io.airgap.core.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a bundle's signature covers: an in-toto Statement v1 whose subjects are the artifacts, each
 * named with the SHA-256 of its OCI manifest, and whose predicate records when the bundle was
 * created, in a DSSE envelope signed with the core signing keys. Since every manifest names its
 * files' digests, the signature covers every byte of the bundle; the creation time lets a store
 * refuse older media replayed after newer ones.
 */
final class BundleStatement {
  /** The statement type. */
  static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";

  /** The predicate type of an airgap bundle. */
  static final String PREDICATE_TYPE = "https://airgap.io/bundle/v1";

  private static final Set<String> ENVELOPE_FIELDS = Set.of("payload", "payloadType", "signatures");
  private static final Set<String> SIGNATURE_FIELDS = Set.of("keyid", "sig");

  private BundleStatement() {}

  /**
   * What a verified statement says.
   *
   * @param manifests artifact name to manifest SHA-256
   * @param created when the bundle was created, as its signer's clock told
   */
  record Signed(Map<String, String> manifests, Instant created) {}

  /**
   * The signed envelope, as JSON bytes, over artifact name to manifest SHA-256 and the creation
   * time (whole seconds).
   */
  static byte[] sign(Map<String, String> manifests, Instant created, SigningKey key) {
    ObjectNode statement = StrictJson.mapper().createObjectNode();
    statement.put("_type", STATEMENT_TYPE);
    ArrayNode subjects = statement.putArray("subject");
    new TreeMap<>(manifests)
        .forEach(
            (name, hex) ->
                subjects.addObject().put("name", name).putObject("digest").put("sha256", hex));
    statement.put("predicateType", PREDICATE_TYPE);
    statement
        .putObject("predicate")
        .put("artifacts", manifests.size())
        .put("created", created.truncatedTo(ChronoUnit.SECONDS).toString());
    byte[] payload = OciArtifacts.compact(statement);
    byte[] signature =
        key.type().sign(key.privateKey(), Dsse.pae(Dsse.IN_TOTO_PAYLOAD_TYPE, payload));
    DsseEnvelope envelope =
        new DsseEnvelope(
            Dsse.IN_TOTO_PAYLOAD_TYPE,
            payload,
            List.of(new DsseEnvelope.Signature(Pem.hint(key.publicKey()), signature)));
    return StrictJson.writePretty(envelope.toJson());
  }

  /**
   * Checks the envelope's signature with {@code key} and returns what the statement says.
   *
   * @throws SignatureException when the signature does not verify with the key
   * @throws FormatException when the envelope or statement is malformed, has unknown fields or more
   *     than one signature
   */
  static Signed verify(byte[] json, PublicKey key, String where) {
    JsonNode node = StrictJson.readSmallObject(json, where);
    // Everything in the envelope but the signed payload is unauthenticated: accept only the
    // fields and the single signature that create writes, so nothing unsigned rides along.
    StrictJson.requireOnly(node, ENVELOPE_FIELDS, where);
    DsseEnvelope envelope = DsseEnvelope.fromJson(node, Dsse.IN_TOTO_PAYLOAD_TYPE, where);
    JsonNode signatures = node.get("signatures");
    if (signatures.size() != 1) {
      throw new FormatException(
          where
              + ": the envelope carries "
              + signatures.size()
              + " signatures; an airgap bundle carries exactly one");
    }
    StrictJson.requireOnly(signatures.get(0), SIGNATURE_FIELDS, where + " signatures[0]");
    KeyType type = KeyType.of(key);
    DsseEnvelope.Signature signature = envelope.signatures().get(0); // the only one
    if (!type.verifies(key, envelope.signedBytes(), signature.bytes())) {
      throw new SignatureException(
          where
              + ": the bundle is not signed by the given key "
              + Pem.hint(key)
              + " ("
              + type.cliName()
              + ")");
    }
    String keyId = signature.keyId();
    if (!keyId.equals(Pem.hint(key))) {
      throw new FormatException(
          where
              + ": keyid '"
              + io.airgap.core.internal.ResourceNames.printable(keyId)
              + "' is not the hint of the key that signed it ("
              + Pem.hint(key)
              + ")");
    }
    if (!Arrays.equals(json, StrictJson.writePretty(envelope.toJson()))) {
      throw new FormatException(
          where
              + ": the envelope differs from the form airgap writes (whitespace, field order or"
              + " encoding; unsigned bytes are refused)");
    }
    JsonNode statement = StrictJson.readObject(envelope.payload(), where + " statement");
    if (!STATEMENT_TYPE.equals(statement.path("_type").asText())
        || !PREDICATE_TYPE.equals(statement.path("predicateType").asText())) {
      throw new FormatException(
          where + ": the statement is not an airgap bundle statement (" + PREDICATE_TYPE + ")");
    }
    Map<String, String> subjects = new LinkedHashMap<>();
    for (JsonNode subject : StrictJson.array(statement, "subject", where)) {
      String name = StrictJson.text(subject, "name", where);
      String hex = StrictJson.text(StrictJson.object(subject, "digest", where), "sha256", where);
      if (!hex.matches("[0-9a-f]{64}") || subjects.put(name, hex) != null) {
        throw new FormatException(
            where + ": subject " + name + " is repeated or has a malformed digest");
      }
    }
    JsonNode predicate = StrictJson.object(statement, "predicate", where);
    if (!predicate.has("created")) {
      throw new FormatException(
          where
              + ": the statement records no creation time, so a store cannot refuse it as older"
              + " media; it was made by an earlier airgap version: create the bundle again");
    }
    Instant created = StrictJson.instant(predicate, "created", where + " predicate");
    return new Signed(subjects, created);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
