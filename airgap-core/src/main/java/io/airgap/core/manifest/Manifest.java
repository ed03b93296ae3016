package io.airgap.core.manifest;

import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.digest.Hasher;
import java.util.List;
import java.util.Objects;

/**
 * The signed content of a model: its name, how it was serialized, and the digest of every resource,
 * in the order they are listed.
 *
 * @param modelName the in-toto subject name (the model directory's or file's name)
 * @param serialization how the resources were cut and hashed
 * @param resources the resources in listed order
 */
public record Manifest(String modelName, Serialization serialization, List<Resource> resources) {
  /** Copies the resource list. */
  public Manifest {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(serialization, "serialization");
    resources = List.copyOf(resources);
  }

  /**
   * The root digest OMS signs as the subject's {@code digest.sha256}: SHA-256 over the raw resource
   * digests concatenated in listed order, whatever hash the resources use.
   */
  public Digest rootDigest() {
    Hasher hasher = HashAlgorithm.SHA256.newHasher();
    for (Resource resource : resources) {
      byte[] bytes = resource.digest().bytes();
      hasher.update(bytes, 0, bytes.length);
    }
    return new Digest(HashAlgorithm.SHA256, hasher.digest());
  }
}
