package io.airgap.deps;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A bundle whose signature and every byte verified.
 *
 * @param created when the bundle was created, as its signed statement records it (the signer's
 *     clock, whole seconds)
 * @param artifacts the artifacts it holds, sorted by name
 */
public record VerifiedBundle(Instant created, List<LockedArtifact> artifacts) {
  /** Copies the list. */
  public VerifiedBundle {
    Objects.requireNonNull(created, "created");
    artifacts = List.copyOf(artifacts);
  }
}
