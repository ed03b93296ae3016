package io.airgap.core.internal;

import io.airgap.core.digest.Digest;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ManifestDifferences;
import io.airgap.core.manifest.ModelFile;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.manifest.Resource;
import io.airgap.core.manifest.Serialization;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.manifest.ShardName;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Recomputes a model's resources the way a manifest says they were computed and lists every
 * difference. Names are compared in NFC form. Stateless and thread-safe.
 */
public final class ManifestComparison {
  private ManifestComparison() {}

  /**
   * Compares a model with a manifest.
   *
   * @param expected the signed manifest
   * @param model the model directory or single file
   * @param extraIgnores relative names to leave out besides the defaults and those the manifest
   *     records (for example the signature file's name)
   * @param ignoreUnsignedFiles hash only the files the manifest names, and report no extra file
   * @param parallelism hashing threads
   * @throws io.airgap.core.InputException when a file or directory cannot be read
   */
  public static ManifestDifferences compare(
      Manifest expected,
      Path model,
      Collection<String> extraIgnores,
      boolean ignoreUnsignedFiles,
      int parallelism) {
    Serialization serialization = expected.serialization();
    ModelHasher hasher = ModelHasher.builder(serialization).parallelism(parallelism).build();
    Map<String, Map<String, Resource>> wanted = byFile(expected.resources(), serialization);
    List<String> missing = new ArrayList<>();
    List<ModelFiles.Refusal> refused = new ArrayList<>();
    List<ModelFile> files;
    if (ignoreUnsignedFiles) {
      files = new ArrayList<>();
      for (Map<String, Resource> resources : wanted.values()) {
        String path = fileName(resources.values().iterator().next(), serialization);
        int refusedBefore = refused.size();
        Optional<ModelFile> file =
            ModelFiles.find(model, path, serialization.allowSymlinks(), refused);
        if (file.isPresent()) {
          files.add(file.get());
        } else if (refused.size() == refusedBefore) {
          missing.add(path);
        }
      }
    } else {
      Set<String> ignored = new TreeSet<>(ModelHasher.DEFAULT_IGNORES);
      ignored.addAll(serialization.ignorePaths());
      ignored.addAll(extraIgnores);
      ModelFiles.Listing listing = ModelFiles.scan(model, ignored, serialization.allowSymlinks());
      files = listing.files();
      refused.addAll(listing.refused());
    }
    Map<String, Map<String, Resource>> found = byFile(hasher.hash(files), serialization);
    return differences(expected.resources().size(), wanted, found, missing, refused, serialization);
  }

  private static ManifestDifferences differences(
      int resourceCount,
      Map<String, Map<String, Resource>> wanted,
      Map<String, Map<String, Resource>> found,
      List<String> missing,
      List<ModelFiles.Refusal> refused,
      Serialization serialization) {
    // A refused entry is reported once, as refused, not also as a missing signed file.
    Set<String> refusedNames = new java.util.HashSet<>();
    refused.forEach(refusal -> refusedNames.add(ResourceNames.normalize(refusal.name())));
    List<String> extra = new ArrayList<>();
    List<String> modified = new ArrayList<>();
    List<String> shards = new ArrayList<>();
    for (Map.Entry<String, Map<String, Resource>> entry : wanted.entrySet()) {
      Map<String, Resource> actual = found.get(entry.getKey());
      String path = fileName(entry.getValue().values().iterator().next(), serialization);
      if (actual == null) {
        if (!missing.contains(path) && !refusedNames.contains(entry.getKey())) {
          missing.add(path);
        }
        continue;
      }
      List<String> differing = differingResources(entry.getValue(), actual);
      if (!differing.isEmpty()) {
        modified.add(path);
        if (serialization.method() == SerializationMethod.SHARDS) {
          shards.addAll(differing);
        }
      }
    }
    for (Map.Entry<String, Map<String, Resource>> entry : found.entrySet()) {
      if (!wanted.containsKey(entry.getKey())) {
        extra.add(fileName(entry.getValue().values().iterator().next(), serialization));
      }
    }
    extra.sort(ResourceNames.CODE_POINT_ORDER);
    List<String> refusals = refused.stream().map(ModelFiles.Refusal::message).toList();
    return new ManifestDifferences(resourceCount, missing, extra, modified, shards, refusals);
  }

  private static List<String> differingResources(
      Map<String, Resource> wanted, Map<String, Resource> actual) {
    List<String> differing = new ArrayList<>();
    wanted.forEach(
        (key, resource) -> {
          Resource other = actual.get(key);
          Digest digest = other == null ? null : other.digest();
          if (!resource.digest().equals(digest)) {
            differing.add(resource.name());
          }
        });
    actual.forEach(
        (key, resource) -> {
          if (!wanted.containsKey(key)) {
            differing.add(resource.name());
          }
        });
    return differing;
  }

  /** Groups resources by the NFC name of their file; keys inside are NFC resource names. */
  private static Map<String, Map<String, Resource>> byFile(
      List<Resource> resources, Serialization serialization) {
    Map<String, Map<String, Resource>> grouped = new LinkedHashMap<>();
    for (Resource resource : resources) {
      String file = ResourceNames.normalize(fileName(resource, serialization));
      Resource previous =
          grouped
              .computeIfAbsent(file, key -> new LinkedHashMap<>())
              .putIfAbsent(ResourceNames.normalize(resource.name()), resource);
      if (previous != null) {
        // Listing and parsing both refuse such names; never let one resource hide another.
        throw new IllegalStateException("two resources named " + resource.name());
      }
    }
    return grouped;
  }

  private static String fileName(Resource resource, Serialization serialization) {
    return serialization.method() == SerializationMethod.SHARDS
        ? ShardName.parse(resource.name(), "manifest").path()
        : resource.name();
  }
}
