package io.airgap.deps;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A bundle whose signature and every byte verified: only {@link Bundles#verify} and {@link
 * Bundles#importInto} make one, so holding one means the check ran.
 */
public final class VerifiedBundle {
  private final Instant created;
  private final List<LockedArtifact> artifacts;

  VerifiedBundle(Instant created, List<LockedArtifact> artifacts) {
    this.created = Objects.requireNonNull(created, "created");
    this.artifacts = List.copyOf(artifacts);
  }

  /** When the bundle was created, as its signed statement records it (the signer's clock). */
  public Instant created() {
    return created;
  }

  /** The artifacts it holds, sorted by name. */
  public List<LockedArtifact> artifacts() {
    return artifacts;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VerifiedBundle that
        && created.equals(that.created)
        && artifacts.equals(that.artifacts);
  }

  @Override
  public int hashCode() {
    return Objects.hash(created, artifacts);
  }

  @Override
  public String toString() {
    return "VerifiedBundle[created=" + created + ", artifacts=" + artifacts + "]";
  }
}
