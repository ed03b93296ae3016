package io.airgap.core.manifest;

import io.airgap.core.digest.HashAlgorithm;
import java.util.List;
import java.util.Objects;

/**
 * The parameters a manifest was computed with, recorded in the signature so the verifier recomputes
 * the same way.
 *
 * @param method files or shards
 * @param hashAlgorithm the hash of every resource
 * @param shardSize bytes per shard; meaningful for {@link SerializationMethod#SHARDS} only
 * @param allowSymlinks whether links inside the model were followed
 * @param ignorePaths the relative names left out, defaults included
 */
public record Serialization(
    SerializationMethod method,
    HashAlgorithm hashAlgorithm,
    long shardSize,
    boolean allowSymlinks,
    List<String> ignorePaths) {
  /** The OMS default shard size: 1,000,000,000 bytes. */
  public static final long DEFAULT_SHARD_SIZE = 1_000_000_000L;

  /** Validates the parameters. */
  public Serialization {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    if (method == SerializationMethod.SHARDS && shardSize <= 0) {
      throw new IllegalArgumentException("shard size must be positive, got " + shardSize);
    }
    ignorePaths = List.copyOf(ignorePaths);
  }
}
