package io.airgap.core.manifest;

import java.util.List;

/**
 * How a model on disk differs from a manifest.
 *
 * @param resourcesChecked how many resources of the manifest were compared
 * @param missingFiles files the manifest lists that are absent (or not regular files)
 * @param extraFiles files present that the manifest does not list
 * @param modifiedFiles files whose bytes differ
 * @param mismatchedShards shards that differ, are absent or are new (shards method only)
 * @param refusedEntries entries that may not be in a model at all (a symbolic link where none is
 *     allowed, a link leaving the model, a FIFO, socket or device, a clashing name), each with why
 */
public record ManifestDifferences(
    int resourcesChecked,
    List<String> missingFiles,
    List<String> extraFiles,
    List<String> modifiedFiles,
    List<String> mismatchedShards,
    List<String> refusedEntries) {
  /** Copies the lists. */
  public ManifestDifferences {
    missingFiles = List.copyOf(missingFiles);
    extraFiles = List.copyOf(extraFiles);
    modifiedFiles = List.copyOf(modifiedFiles);
    mismatchedShards = List.copyOf(mismatchedShards);
    refusedEntries = List.copyOf(refusedEntries);
  }

  /** No difference: all {@code resourcesChecked} resources matched. */
  public static ManifestDifferences none(int resourcesChecked) {
    return new ManifestDifferences(
        resourcesChecked, List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** Whether the model matches the manifest exactly. */
  public boolean isEmpty() {
    return missingFiles.isEmpty()
        && extraFiles.isEmpty()
        && modifiedFiles.isEmpty()
        && mismatchedShards.isEmpty()
        && refusedEntries.isEmpty();
  }
}
