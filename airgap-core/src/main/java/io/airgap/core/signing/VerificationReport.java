package io.airgap.core.signing;

import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.manifest.SerializationMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of verifying a model against a valid signature: who signed, what was signed, and
 * every difference between the signed manifest and the model on disk. Immutable.
 *
 * @param modelName the subject name recorded at signing
 * @param rootDigest the signed root digest
 * @param signer the key hint or certificate subject that signed
 * @param method the serialization method
 * @param hashAlgorithm the resources' hash
 * @param resourcesChecked how many signed resources were compared
 * @param missingFiles signed files not found (or no longer regular files)
 * @param extraFiles files present but not signed
 * @param modifiedFiles files whose content differs from what was signed
 * @param mismatchedShards shards (of modified files) that differ, are missing or are new
 */
public record VerificationReport(
    String modelName,
    Digest rootDigest,
    String signer,
    SerializationMethod method,
    HashAlgorithm hashAlgorithm,
    int resourcesChecked,
    List<String> missingFiles,
    List<String> extraFiles,
    List<String> modifiedFiles,
    List<String> mismatchedShards) {
  /** Copies the lists. */
  public VerificationReport {
    missingFiles = List.copyOf(missingFiles);
    extraFiles = List.copyOf(extraFiles);
    modifiedFiles = List.copyOf(modifiedFiles);
    mismatchedShards = List.copyOf(mismatchedShards);
  }

  /** Whether the model on disk is exactly what was signed. */
  public boolean verified() {
    return missingFiles.isEmpty()
        && extraFiles.isEmpty()
        && modifiedFiles.isEmpty()
        && mismatchedShards.isEmpty();
  }

  /** One paragraph for people: the verdict and every difference. */
  public String summary() {
    if (verified()) {
      return "model "
          + modelName
          + " verified: "
          + resourcesChecked
          + (resourcesChecked == 1 ? " resource matches" : " resources match")
          + " root sha256:"
          + rootDigest.hex()
          + ", signed by "
          + signer;
    }
    List<String> parts = new ArrayList<>();
    describe(parts, "missing", missingFiles);
    describe(parts, "extra", extraFiles);
    describe(parts, "modified", modifiedFiles);
    describe(parts, "mismatched shards", mismatchedShards);
    return "model " + modelName + " does not match its signature: " + String.join("; ", parts);
  }

  private static void describe(List<String> parts, String label, List<String> names) {
    if (!names.isEmpty()) {
      parts.add(label + " " + names);
    }
  }
}
