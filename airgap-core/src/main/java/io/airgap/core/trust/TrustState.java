package io.airgap.core.trust;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.internal.AtomicFiles;
import io.airgap.core.internal.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a verifier has accepted so far, persisted so that nothing older is accepted later: the
 * current trust policy (whole, so the next one can be checked against its root keys) and, per model
 * name, the highest model version accepted. Immutable; {@link #write} replaces the file atomically.
 *
 * @param policy the current policy, or {@code null} before the first one is accepted
 * @param models the highest version accepted per model name
 */
public record TrustState(SignedPolicy policy, Map<String, ModelVersion> models) {
  /** The state file schema version. */
  public static final int SCHEMA_VERSION = 1;

  private static final long MAX_BYTES = 16L * 1024 * 1024;

  /** Copies the map, sorted by name. */
  public TrustState {
    models = Collections.unmodifiableMap(new TreeMap<>(models));
  }

  /** The state of a verifier that has accepted nothing yet. */
  public static TrustState empty() {
    return new TrustState(null, Map.of());
  }

  /**
   * Reads a state file; a file that does not exist is the empty state.
   *
   * @throws FormatException when the file is corrupt: it is never reset silently, since a reset
   *     would re-open every rollback it protects against
   */
  public static TrustState read(Path path) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(path)) {
      bytes = in.readNBytes((int) MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return empty();
    } catch (IOException e) {
      throw new InputException("cannot read trust state " + path + ": " + e.getMessage(), e);
    }
    String where = "trust state " + path;
    try {
      if (bytes.length > MAX_BYTES) {
        throw new FormatException(where + " is larger than " + MAX_BYTES + " bytes");
      }
      return parse(bytes, where);
    } catch (FormatException e) {
      throw new FormatException(
          e.getMessage()
              + "; the state is refused, not reset: restore it from a backup, or delete it"
              + " deliberately to trust the next policy from scratch",
          e);
    }
  }

  private static TrustState parse(byte[] bytes, String where) {
    JsonNode root = StrictJson.readObject(bytes, where);
    StrictJson.requireOnly(root, Set.of("schemaVersion", "policy", "models"), where);
    long schema = StrictJson.integer(root, "schemaVersion", where);
    if (schema != SCHEMA_VERSION) {
      throw new FormatException(where + ": schemaVersion " + schema + " is not supported");
    }
    SignedPolicy policy = null;
    if (root.has("policy")) {
      JsonNode node = StrictJson.object(root, "policy", where);
      StrictJson.requireOnly(node, Set.of("version", "sha256", "envelope"), where + " policy");
      policy = SignedPolicy.fromJson(StrictJson.object(node, "envelope", where), where + " policy");
      long version = StrictJson.integer(node, "version", where);
      String digest = StrictJson.text(node, "sha256", where);
      if (version != policy.version() || !digest.equals(policy.digest().hex())) {
        throw new FormatException(
            where + ": the recorded policy version or digest does not match the policy it holds");
      }
    }
    Map<String, ModelVersion> models = new TreeMap<>();
    JsonNode node = StrictJson.object(root, "models", where);
    var fields = node.fields();
    while (fields.hasNext()) {
      var entry = fields.next();
      if (!entry.getValue().isTextual()) {
        throw new FormatException(where + ": models." + entry.getKey() + " must be a string");
      }
      models.put(entry.getKey(), ModelVersion.parse(entry.getValue().textValue()));
    }
    return new TrustState(policy, models);
  }

  /** Writes the state atomically (temporary file, fsync, rename, fsync of the directory). */
  public void write(Path path) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    if (policy != null) {
      ObjectNode node = root.putObject("policy");
      node.put("version", policy.version());
      node.put("sha256", policy.digest().hex());
      node.set("envelope", policy.envelope().toJson());
    }
    ObjectNode models = root.putObject("models");
    this.models.forEach((name, version) -> models.put(name, version.toString()));
    AtomicFiles.write(path, StrictJson.writePretty(root));
  }

  /** A copy with another current policy. */
  public TrustState withPolicy(SignedPolicy newPolicy, Map<String, ModelVersion> newModels) {
    return new TrustState(newPolicy, newModels);
  }
}
