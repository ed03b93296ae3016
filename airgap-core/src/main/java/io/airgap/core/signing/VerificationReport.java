package io.airgap.core.signing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.ResourceNames;
import io.airgap.core.internal.StrictJson;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ManifestDifferences;
import io.airgap.core.manifest.SerializationMethod;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of verifying a model against a valid signature: who signed, what was signed, and
 * every difference between the signed manifest and the model on disk. Immutable.
 *
 * <p>Names in the lists are as found; {@link #summary()} escapes control characters in them.
 *
 * @param manifest the signed manifest: name, serialization and every resource's digest
 * @param signer the key hint or certificate subject that signed
 * @param differences every missing, extra and modified file and mismatched shard
 */
public record VerificationReport(
    Manifest manifest, String signer, ManifestDifferences differences) {
  /** Checks that every part is present. */
  public VerificationReport {
    Objects.requireNonNull(manifest, "manifest");
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(differences, "differences");
  }

  /** The subject name recorded at signing. */
  public String modelName() {
    return manifest.modelName();
  }

  /** The signed root digest. */
  public Digest rootDigest() {
    return manifest.rootDigest();
  }

  /** The serialization method. */
  public SerializationMethod method() {
    return manifest.serialization().method();
  }

  /** The resources' hash. */
  public HashAlgorithm hashAlgorithm() {
    return manifest.serialization().hashAlgorithm();
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
          + modelName()
          + " verified: "
          + resourcesChecked()
          + (resourcesChecked() == 1 ? " resource matches" : " resources match")
          + " root sha256:"
          + rootDigest().hex()
          + ", signed by "
          + signer;
    }
    List<String> parts = new ArrayList<>();
    describe(parts, "missing", missingFiles());
    describe(parts, "extra", extraFiles());
    describe(parts, "modified", modifiedFiles());
    describe(parts, "mismatched shards", mismatchedShards());
    describe(parts, "refused", refusedEntries());
    return "model " + modelName() + " does not match its signature: " + String.join("; ", parts);
  }

  /**
   * The report as JSON for machines (two-space indented, one field per line, final newline): {@code
   * verified}, {@code model}, {@code rootDigest}, {@code signer}, {@code method}, {@code hashType},
   * {@code resourcesChecked} and the lists {@code missingFiles}, {@code extraFiles}, {@code
   * modifiedFiles}, {@code mismatchedShards}, {@code refusedEntries}.
   */
  public String toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("verified", verified());
    root.put("model", modelName());
    root.put("rootDigest", "sha256:" + rootDigest().hex());
    root.put("signer", signer);
    root.put("method", method().omsName());
    root.put("hashType", hashAlgorithm().omsName());
    root.put("resourcesChecked", resourcesChecked());
    missingFiles().forEach(root.putArray("missingFiles")::add);
    extraFiles().forEach(root.putArray("extraFiles")::add);
    modifiedFiles().forEach(root.putArray("modifiedFiles")::add);
    mismatchedShards().forEach(root.putArray("mismatchedShards")::add);
    refusedEntries().forEach(root.putArray("refusedEntries")::add);
    return new String(StrictJson.writePretty(root), StandardCharsets.UTF_8);
  }

  private static void describe(List<String> parts, String label, List<String> names) {
    if (!names.isEmpty()) {
      List<String> printable = names.stream().map(ResourceNames::printable).toList();
      parts.add(label + " " + printable);
    }
  }
}
