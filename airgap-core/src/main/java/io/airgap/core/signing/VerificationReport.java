package io.airgap.core.signing;

import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.manifest.ManifestDifferences;
import io.airgap.core.manifest.ResourceNames;
import io.airgap.core.manifest.SerializationMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of verifying a model against a valid signature: who signed, what was signed, and
 * every difference between the signed manifest and the model on disk. Immutable.
 *
 * <p>Names in the lists are as found; {@link #summary()} escapes control characters in them.
 *
 * @param modelName the subject name recorded at signing
 * @param rootDigest the signed root digest
 * @param signer the key hint or certificate subject that signed
 * @param method the serialization method
 * @param hashAlgorithm the resources' hash
 * @param differences every missing, extra and modified file and mismatched shard
 */
public record VerificationReport(
    String modelName,
    Digest rootDigest,
    String signer,
    SerializationMethod method,
    HashAlgorithm hashAlgorithm,
    ManifestDifferences differences) {
  /** Checks that every part is present. */
  public VerificationReport {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(rootDigest, "rootDigest");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(differences, "differences");
  }

  /** Whether the model on disk is exactly what was signed. */
  public boolean verified() {
    return differences.isEmpty();
  }

  /** How many signed resources were compared. */
  public int resourcesChecked() {
    return differences.resourcesChecked();
  }

  /** Signed files not found (or no longer regular files). */
  public List<String> missingFiles() {
    return differences.missingFiles();
  }

  /** Files present but not signed. */
  public List<String> extraFiles() {
    return differences.extraFiles();
  }

  /** Files whose content differs from what was signed. */
  public List<String> modifiedFiles() {
    return differences.modifiedFiles();
  }

  /** Shards of modified files that differ, are missing or are new. */
  public List<String> mismatchedShards() {
    return differences.mismatchedShards();
  }

  /** Entries that may not be in a model at all, each with the reason. */
  public List<String> refusedEntries() {
    return differences.refusedEntries();
  }

  /** One paragraph for people: the verdict and every difference. */
  public String summary() {
    if (verified()) {
      return "model "
          + modelName
          + " verified: "
          + resourcesChecked()
          + (resourcesChecked() == 1 ? " resource matches" : " resources match")
          + " root sha256:"
          + rootDigest.hex()
          + ", signed by "
          + signer;
    }
    List<String> parts = new ArrayList<>();
    describe(parts, "missing", missingFiles());
    describe(parts, "extra", extraFiles());
    describe(parts, "modified", modifiedFiles());
    describe(parts, "mismatched shards", mismatchedShards());
    describe(parts, "refused", refusedEntries());
    return "model " + modelName + " does not match its signature: " + String.join("; ", parts);
  }

  private static void describe(List<String> parts, String label, List<String> names) {
    if (!names.isEmpty()) {
      List<String> printable = names.stream().map(ResourceNames::printable).toList();
      parts.add(label + " " + printable);
    }
  }
}
