package io.airgap.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.airgap.core.FormatException;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.Resource;
import io.airgap.core.manifest.Serialization;
import io.airgap.core.manifest.SerializationMethod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The in-toto statement {@code model_signing} 0.2 signed, predicate type {@code
 * https://model_signing/Digests/v0.1}: one subject per file, named by its POSIX relative path (a
 * single-file model's is {@code .}), whose {@code digest.sha256} is the file's SHA-256 and whose
 * {@code annotations.actual_hash_algorithm} is {@code file-sha256}; the predicate carries nothing.
 * Such a statement names no model, records no serialization and has no root digest. It is read to
 * verify old signatures only; airgap never writes it. Stateless and thread-safe.
 */
final class LegacyOmsStatement {
  /** The predicate type of the statements {@code model_signing} 0.2 signed. */
  static final String PREDICATE_TYPE = "https://model_signing/Digests/v0.1";

  /**
   * The model name of such a statement, which names none; {@code model_signing} uses the same
   * placeholder, so both tools report the same name.
   */
  static final String UNNAMED_MODEL = "compat-undefined-not-present";

  // model_signing 0.2 hashed whole files with SHA-256 and refused links; it left out only the
  // signature file, which the verifier leaves out anyway.
  private static final Serialization SERIALIZATION =
      new Serialization(SerializationMethod.FILES, HashAlgorithm.SHA256, 0, false, List.of());

  // Its file hasher named the digest "file-" + the hash name; an absent annotation means the
  // digest's own algorithm (model_signing 0.2, DigestsIntotoPayload).
  private static final Set<String> SHA256_NAMES = Set.of("file-sha256", "sha256");

  private LegacyOmsStatement() {}

  /**
   * Reads the files and digests of a parsed statement whose types have been checked.
   *
   * @param statement the statement object
   * @param at names the payload in errors
   * @throws FormatException when a subject is malformed, hostile, listed twice or not SHA-256
   */
  static Manifest decode(JsonNode statement, String at) {
    JsonNode subjects = StrictJson.array(statement, "subject", at);
    if (subjects.isEmpty()) {
      throw new FormatException(at + ": the " + PREDICATE_TYPE + " statement lists no file");
    }
    if (statement.has("predicate")) {
      StrictJson.object(statement, "predicate", at); // its content was never used
    }
    Set<String> seen = new HashSet<>();
    List<Resource> resources = new ArrayList<>(subjects.size());
    for (int i = 0; i < subjects.size(); i++) {
      String where = at + " subject[" + i + "]";
      JsonNode subject = subjects.get(i);
      if (!subject.isObject()) {
        throw new FormatException(where + " must be an object");
      }
      String name = StrictJson.text(subject, "name", where);
      if (!name.equals(ModelFiles.SINGLE_FILE_NAME)) {
        ResourceNames.check(name, where);
      }
      requireSha256(subject, where);
      if (!seen.add(ResourceNames.normalize(name))) {
        throw new FormatException(
            where + ": file '" + ResourceNames.printable(name) + "' is listed twice");
      }
      String hex = StrictJson.text(StrictJson.object(subject, "digest", where), "sha256", where);
      resources.add(
          new Resource(name, Digest.fromHex(HashAlgorithm.SHA256, hex, where + " digest.sha256")));
    }
    return new Manifest(UNNAMED_MODEL, SERIALIZATION, resources);
  }

  private static void requireSha256(JsonNode subject, String where) {
    if (!subject.has("annotations")) {
      return;
    }
    JsonNode annotations = StrictJson.object(subject, "annotations", where);
    String algorithm = StrictJson.optionalText(annotations, "actual_hash_algorithm", where);
    if (algorithm != null && !SHA256_NAMES.contains(algorithm)) {
      throw new FormatException(
          where
              + ": actual_hash_algorithm is '"
              + ResourceNames.printable(algorithm)
              + "'; model_signing 0.2 signatures verify with SHA-256 file digests only"
              + " ('file-sha256')");
    }
  }
}
