package io.airgap.core.manifest;

import io.airgap.core.digest.Digest;
import java.util.Objects;

/**
 * One hashed item of a manifest: a file ({@code path}) or a shard ({@code path:start:end}).
 *
 * @param name the resource name as the manifest records it
 * @param digest the digest of its bytes
 */
public record Resource(String name, Digest digest) {
  /** Checks that both parts are present. */
  public Resource {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(digest, "digest");
  }
}
