package io.airgap.core.manifest;

import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
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
    int length = 0;
    for (Resource resource : resources) {
      length += resource.digest().algorithm().digestLength();
    }
    byte[] concatenated = new byte[length];
    int offset = 0;
    for (Resource resource : resources) {
      byte[] bytes = resource.digest().bytes();
      System.arraycopy(bytes, 0, concatenated, offset, bytes.length);
      offset += bytes.length;
    }
    return HashAlgorithm.SHA256.hash(concatenated);
  }
}
