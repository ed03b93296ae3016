package io.airgap.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.Resource;
import io.airgap.core.manifest.Serialization;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.manifest.ShardName;
import io.airgap.core.signing.SignatureException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The in-toto Statement v1 an OMS signature carries: one subject (the model name and root digest)
 * and the {@code https://model_signing/signature/v1.0} predicate listing every resource. The
 * verifier also reads the statement {@code model_signing} 0.2 wrote; this class writes only the
 * current one. Stateless and thread-safe.
 */
public final class OmsStatement {
  /** The in-toto Statement v1 type. */
  public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";

  /** The OMS v1.0 predicate type. */
  public static final String PREDICATE_TYPE = "https://model_signing/signature/v1.0";

  // model_signing writes shard algorithms as "<hash>-sharded-<shard size>".
  private static final Pattern SHARDED = Pattern.compile("([a-z0-9]+)-sharded-([0-9]{1,18})");

  private OmsStatement() {}

  /** Serializes a manifest as the statement {@code model_signing} writes. */
  public static byte[] encode(Manifest manifest) {
    Serialization serialization = manifest.serialization();
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("_type", STATEMENT_TYPE);
    ObjectNode subject = root.putArray("subject").addObject();
    subject.put("name", manifest.modelName());
    subject.putObject("digest").put("sha256", manifest.rootDigest().hex());
    root.put("predicateType", PREDICATE_TYPE);
    ObjectNode predicate = root.putObject("predicate");
    ObjectNode written = predicate.putObject("serialization");
    written.put("method", serialization.method().omsName());
    written.put("hash_type", serialization.hashAlgorithm().omsName());
    if (serialization.method() == SerializationMethod.SHARDS) {
      written.put("shard_size", serialization.shardSize());
    }
    written.put("allow_symlinks", serialization.allowSymlinks());
    ArrayNode ignorePaths = written.putArray("ignore_paths");
    serialization.ignorePaths().forEach(ignorePaths::add);
    ArrayNode resources = predicate.putArray("resources");
    String algorithm = resourceAlgorithm(serialization);
    for (Resource resource : manifest.resources()) {
      resources
          .addObject()
          .put("name", resource.name())
          .put("algorithm", algorithm)
          .put("digest", resource.digest().hex());
    }
    return StrictJson.writePretty(root);
  }

  private static String resourceAlgorithm(Serialization serialization) {
    String hash = serialization.hashAlgorithm().omsName();
    return serialization.method() == SerializationMethod.SHARDS
        ? hash + "-sharded-" + serialization.shardSize()
        : hash;
  }

  /**
   * Parses a statement and checks it is internally consistent: exact types, one subject, valid and
   * unique resource names, and a root digest equal to the digest of the listed resources.
   *
   * @throws FormatException when the statement is malformed or names are hostile
   * @throws SignatureException when the subject digest does not match the resources
   */
  public static Manifest decode(byte[] payload, String where) {
    String at = where + " payload";
    JsonNode root = StrictJson.readObject(payload, at);
    requireEqual(StrictJson.text(root, "_type", at), STATEMENT_TYPE, "_type", at);
    requireEqual(StrictJson.text(root, "predicateType", at), PREDICATE_TYPE, "predicateType", at);
    return decodeCurrent(root, where, at);
  }

  /**
   * Parses the statement of a signature that has been verified, choosing the format by its
   * predicate type: OMS v1.0, or the {@code https://model_signing/Digests/v0.1} statement of {@code
   * model_signing} 0.2 (over either encoding, as {@code model_signing} accepts it). A signature
   * that verifies only over that release's faulty encoding counts for its own statements only.
   *
   * @param overModelSigningV02Encoding whether the signature verified over {@code
   *     Dsse.modelSigningV02Pae} rather than the DSSE encoding
   * @throws SignatureException when a statement of another type verifies only over the faulty
   *     encoding, or the subject digest does not match the resources
   * @throws FormatException when the statement is malformed or names are hostile
   */
  public static Manifest decodeSigned(
      byte[] payload, boolean overModelSigningV02Encoding, String where) {
    String at = where + " payload";
    JsonNode root = StrictJson.readObject(payload, at);
    requireEqual(StrictJson.text(root, "_type", at), STATEMENT_TYPE, "_type", at);
    String predicateType = StrictJson.text(root, "predicateType", at);
    if (predicateType.equals(LegacyOmsStatement.PREDICATE_TYPE)) {
      return LegacyOmsStatement.decode(root, at);
    }
    if (overModelSigningV02Encoding) {
      // That encoding is accepted for the statements the faulty release wrote, not as a second
      // way to sign current ones.
      throw new SignatureException(
          where
              + ": the DSSE signature verifies only over the faulty pre-authentication encoding of"
              + " model_signing 0.2, which is accepted for '"
              + LegacyOmsStatement.PREDICATE_TYPE
              + "' statements only, not for predicate type '"
              + ResourceNames.printable(predicateType)
              + "'");
    }
    requireEqual(predicateType, PREDICATE_TYPE, "predicateType", at);
    return decodeCurrent(root, where, at);
  }

  private static Manifest decodeCurrent(JsonNode root, String where, String at) {
    JsonNode subjects = StrictJson.array(root, "subject", at);
    if (subjects.size() != 1 || !subjects.get(0).isObject()) {
      throw new FormatException(at + ": expected exactly one subject, found " + subjects.size());
    }
    JsonNode subject = subjects.get(0);
    String name = StrictJson.text(subject, "name", at + " subject");
    Digest claimedRoot =
        Digest.fromHex(
            HashAlgorithm.SHA256,
            StrictJson.text(StrictJson.object(subject, "digest", at), "sha256", at),
            at + " subject digest.sha256");
    JsonNode predicate = StrictJson.object(root, "predicate", at);
    Serialization serialization =
        serialization(StrictJson.object(predicate, "serialization", at), at);
    List<Resource> resources =
        resources(StrictJson.array(predicate, "resources", at), serialization, at);
    Manifest manifest = new Manifest(name, serialization, resources);
    if (!manifest.rootDigest().equals(claimedRoot)) {
      throw new SignatureException(
          where
              + ": the signed root digest "
              + claimedRoot.hex()
              + " does not match the listed resources ("
              + manifest.rootDigest().hex()
              + "); the manifest is inconsistent");
    }
    return manifest;
  }

  private static Serialization serialization(JsonNode node, String where) {
    String at = where + " serialization";
    SerializationMethod method =
        SerializationMethod.fromOmsName(StrictJson.text(node, "method", at));
    String hashType = StrictJson.text(node, "hash_type", at);
    long shardSize = 0;
    Matcher sharded = SHARDED.matcher(hashType);
    if (sharded.matches() && method == SerializationMethod.SHARDS) {
      // Older model_signing wrote the shard size into hash_type.
      hashType = sharded.group(1);
      shardSize = Long.parseLong(sharded.group(2));
    }
    HashAlgorithm algorithm = HashAlgorithm.fromOmsName(hashType);
    if (method == SerializationMethod.SHARDS) {
      if (node.has("shard_size")) {
        long recorded = StrictJson.positiveInteger(node, "shard_size", at);
        if (shardSize != 0 && shardSize != recorded) {
          throw new FormatException(
              at + ": hash_type says shards of " + shardSize + " bytes, shard_size " + recorded);
        }
        shardSize = recorded;
      }
      if (shardSize <= 0) {
        throw new FormatException(at + ": the shards method needs a positive shard_size");
      }
    }
    boolean allowSymlinks = StrictJson.optionalBoolean(node, "allow_symlinks", false, at);
    return new Serialization(method, algorithm, shardSize, allowSymlinks, ignorePaths(node, at));
  }

  private static List<String> ignorePaths(JsonNode node, String at) {
    if (!node.has("ignore_paths")) {
      return List.of();
    }
    List<String> paths = new ArrayList<>();
    for (JsonNode path : StrictJson.array(node, "ignore_paths", at)) {
      if (!path.isTextual()) {
        throw new FormatException(at + ": ignore_paths must hold strings");
      }
      ResourceNames.check(path.textValue(), at + " ignore_paths");
      paths.add(path.textValue());
    }
    return paths;
  }

  private static List<Resource> resources(JsonNode array, Serialization serialization, String at) {
    if (array.isEmpty()) {
      throw new FormatException(at + ": the manifest lists no resources");
    }
    String hash = serialization.hashAlgorithm().omsName();
    Set<String> accepted =
        serialization.method() == SerializationMethod.SHARDS
            ? Set.of(hash, hash + "-sharded-" + serialization.shardSize())
            : Set.of(hash);
    Set<String> seen = new HashSet<>();
    List<Resource> resources = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String where = at + " resources[" + i + "]";
      JsonNode node = array.get(i);
      if (!node.isObject()) {
        throw new FormatException(where + " must be an object");
      }
      String name = StrictJson.text(node, "name", where);
      checkName(name, serialization.method(), where);
      String algorithm = StrictJson.text(node, "algorithm", where);
      if (!accepted.contains(algorithm)) {
        throw new FormatException(
            where
                + ": algorithm '"
                + ResourceNames.printable(algorithm)
                + "' differs from hash_type '"
                + hash
                + "'");
      }
      if (!seen.add(ResourceNames.normalize(name))) {
        throw new FormatException(where + ": resource '" + name + "' is listed twice");
      }
      Digest digest =
          Digest.fromHex(
              serialization.hashAlgorithm(), StrictJson.text(node, "digest", where), where);
      resources.add(new Resource(name, digest));
    }
    return resources;
  }

  private static void checkName(String name, SerializationMethod method, String where) {
    String path = method == SerializationMethod.SHARDS ? ShardName.parse(name, where).path() : name;
    if (!path.equals(ModelFiles.SINGLE_FILE_NAME)) {
      ResourceNames.check(path, where);
    }
  }

  private static void requireEqual(String actual, String expected, String field, String where) {
    if (!expected.equals(actual)) {
      throw new FormatException(
          where
              + ": "
              + field
              + " is '"
              + ResourceNames.printable(actual)
              + "', expected '"
              + expected
              + "'");
    }
  }
}
