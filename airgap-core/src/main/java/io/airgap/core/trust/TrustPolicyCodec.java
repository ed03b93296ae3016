package io.airgap.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and writes trust policy documents (schema version 1, see docs/trust-policy.md). Reading is
 * strict: unknown fields, duplicate keys, key ids that are not their key's SPKI SHA-256, algorithms
 * that do not match the key, and references to unknown keys are all refused. Stateless and
 * thread-safe.
 */
public final class TrustPolicyCodec {
  /** The schema version this code reads and writes. */
  public static final int SCHEMA_VERSION = 1;

  private static final Set<String> POLICY_FIELDS =
      Set.of("schemaVersion", "version", "expires", "keys", "roles", "root");
  private static final Set<String> KEY_FIELDS =
      Set.of("algorithm", "publicKey", "validFrom", "validUntil", "revoked");
  private static final Set<String> REVOKED_FIELDS = Set.of("reason", "since");
  private static final Set<String> ROLE_FIELDS = Set.of("name", "models", "keys", "threshold");
  private static final Set<String> ROOT_FIELDS = Set.of("keys", "threshold");

  private TrustPolicyCodec() {}

  /**
   * Parses a policy document.
   *
   * @param where names the document in errors
   * @throws FormatException naming the field that is malformed or inconsistent
   */
  public static TrustPolicy parse(byte[] json, String where) {
    JsonNode root = StrictJson.readObject(json, where);
    StrictJson.requireOnly(root, POLICY_FIELDS, where);
    long schema = StrictJson.integer(root, "schemaVersion", where);
    if (schema != SCHEMA_VERSION) {
      throw new FormatException(
          where
              + ": schemaVersion "
              + schema
              + " is not supported; this verifier reads "
              + SCHEMA_VERSION);
    }
    long version = StrictJson.integer(root, "version", where);
    Instant expires = StrictJson.instant(root, "expires", where);
    Map<String, TrustedKey> keys = keys(StrictJson.object(root, "keys", where), where);
    List<Role> roles = roles(StrictJson.array(root, "roles", where), where);
    KeyThreshold rootRole =
        threshold(StrictJson.object(root, "root", where), ROOT_FIELDS, where + " root");
    try {
      return new TrustPolicy(version, expires, keys, roles, rootRole);
    } catch (IllegalArgumentException e) {
      throw new FormatException(where + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, TrustedKey> keys(JsonNode node, String where) {
    Map<String, TrustedKey> keys = new LinkedHashMap<>();
    var fields = node.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      String at = where + " keys." + entry.getKey();
      keys.put(entry.getKey(), key(entry.getKey(), entry.getValue(), at));
    }
    return keys;
  }

  private static TrustedKey key(String keyId, JsonNode node, String at) {
    if (!node.isObject()) {
      throw new FormatException(at + " must be an object");
    }
    StrictJson.requireOnly(node, KEY_FIELDS, at);
    PublicKey publicKey = Pem.parsePublicKey(StrictJson.text(node, "publicKey", at), at);
    String actualId = TrustedKey.idOf(publicKey);
    if (!actualId.equals(keyId)) {
      throw new FormatException(at + ": the key's SPKI SHA-256 is " + actualId + ", not its id");
    }
    KeyType type = KeyType.of(publicKey);
    String algorithm = StrictJson.text(node, "algorithm", at);
    if (!type.cliName().equals(algorithm)) {
      throw new FormatException(
          at + ": algorithm '" + algorithm + "' but the key is " + type.cliName());
    }
    Instant validFrom = node.has("validFrom") ? StrictJson.instant(node, "validFrom", at) : null;
    Instant validUntil = node.has("validUntil") ? StrictJson.instant(node, "validUntil", at) : null;
    if (validFrom != null && validUntil != null && validUntil.isBefore(validFrom)) {
      throw new FormatException(at + ": validUntil is before validFrom");
    }
    TrustedKey.Revocation revocation = null;
    if (node.has("revoked")) {
      JsonNode revoked = StrictJson.object(node, "revoked", at);
      StrictJson.requireOnly(revoked, REVOKED_FIELDS, at + " revoked");
      Instant since = revoked.has("since") ? StrictJson.instant(revoked, "since", at) : null;
      revocation = new TrustedKey.Revocation(StrictJson.text(revoked, "reason", at), since);
    }
    return new TrustedKey(keyId, type, publicKey, validFrom, validUntil, revocation);
  }

  private static List<Role> roles(JsonNode array, String where) {
    List<Role> roles = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = where + " roles[" + i + "]";
      JsonNode node = array.get(i);
      if (!node.isObject()) {
        throw new FormatException(at + " must be an object");
      }
      StrictJson.requireOnly(node, ROLE_FIELDS, at);
      String name = StrictJson.text(node, "name", at);
      List<String> patterns = strings(StrictJson.array(node, "models", at), at + " models");
      KeyThreshold signers = threshold(node, ROLE_FIELDS, at);
      try {
        roles.add(new Role(name, patterns, signers));
      } catch (IllegalArgumentException e) {
        throw new FormatException(at + ": " + e.getMessage(), e);
      }
    }
    return roles;
  }

  private static KeyThreshold threshold(JsonNode node, Set<String> fields, String at) {
    StrictJson.requireOnly(node, fields, at);
    List<String> keyIds = strings(StrictJson.array(node, "keys", at), at + " keys");
    long threshold = StrictJson.integer(node, "threshold", at);
    try {
      return new KeyThreshold(
          keyIds, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, threshold)));
    } catch (IllegalArgumentException e) {
      throw new FormatException(at + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode array, String at) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : array) {
      if (!value.isTextual()) {
        throw new FormatException(at + " must hold strings");
      }
      values.add(value.textValue());
    }
    return values;
  }

  /** Serializes a policy, two-space indented, keys in a fixed order. */
  public static byte[] write(TrustPolicy policy) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("version", policy.version());
    root.put("expires", policy.expires().toString());
    ObjectNode keys = root.putObject("keys");
    policy.keys().forEach((id, key) -> writeKey(keys.putObject(id), key));
    ArrayNode roles = root.putArray("roles");
    for (Role role : policy.roles()) {
      ObjectNode node = roles.addObject();
      node.put("name", role.name());
      role.patterns().forEach(node.putArray("models")::add);
      writeThreshold(node, role.signers());
    }
    writeThreshold(root.putObject("root"), policy.root());
    return StrictJson.writePretty(root);
  }

  private static void writeKey(ObjectNode node, TrustedKey key) {
    node.put("algorithm", key.type().cliName());
    node.put("publicKey", Pem.publicKeyPem(key.publicKey()));
    if (key.validFrom() != null) {
      node.put("validFrom", key.validFrom().toString());
    }
    if (key.validUntil() != null) {
      node.put("validUntil", key.validUntil().toString());
    }
    if (key.revocation() != null) {
      ObjectNode revoked = node.putObject("revoked");
      revoked.put("reason", key.revocation().reason());
      if (key.revocation().since() != null) {
        revoked.put("since", key.revocation().since().toString());
      }
    }
  }

  private static void writeThreshold(ObjectNode node, KeyThreshold threshold) {
    threshold.keyIds().forEach(node.putArray("keys")::add);
    node.put("threshold", threshold.threshold());
  }
}
