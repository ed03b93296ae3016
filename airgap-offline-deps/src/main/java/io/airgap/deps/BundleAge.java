package io.airgap.deps;

import io.airgap.core.trust.RollbackException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How old a bundle may be when it is verified or imported: one created more than {@code maxAge}
 * before {@code clock}'s now is refused, so media that sat in a drawer, or were kept to be
 * replayed, cannot be brought in late, not even into a new store (which no rollback record
 * protects). The age compares two clocks, the signer's when it created the bundle and this host's
 * now: allow for their difference.
 *
 * @param maxAge the oldest a bundle may be
 * @param clock this host's clock
 */
public record BundleAge(Duration maxAge, Clock clock) {
  /** Checks the values. */
  public BundleAge {
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(clock, "clock");
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("the maximum age must be positive, not " + maxAge);
    }
  }

  /** At most {@code maxAge} old by the system clock. */
  public static BundleAge atMost(Duration maxAge) {
    return new BundleAge(maxAge, Clock.systemUTC());
  }

  /**
   * Refuses a bundle created too long ago.
   *
   * @throws RollbackException naming the creation time, the limit and now
   */
  void check(Instant created, String where) {
    Instant now = clock.instant();
    if (created.isBefore(now.minus(maxAge))) {
      throw new RollbackException(
          where
              + ": the bundle was created "
              + created
              + ", more than the allowed "
              + maxAge
              + " before now ("
              + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
              + "); it is refused as stale");
    }
  }
}
