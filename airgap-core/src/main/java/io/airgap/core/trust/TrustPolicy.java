package io.airgap.core.trust;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A trust policy: which keys may sign which models, how many must, until when, and which keys may
 * sign the next version of the policy. Immutable.
 *
 * <p>Modelled on TUF's root metadata: thresholds count distinct keys, the policy expires, and
 * version N+1 is trusted only when a threshold of version N's root keys and of its own root keys
 * signed it.
 *
 * @param version the policy version, from 1, increasing by exactly 1 per rotation
 * @param expires after this instant the policy no longer verifies anything
 * @param keys every key the policy names, by key id
 * @param roles which keys may sign which model names
 * @param root the keys and threshold that must sign this policy and the next one
 */
public record TrustPolicy(
    long version,
    Instant expires,
    Map<String, TrustedKey> keys,
    List<Role> roles,
    KeyThreshold root) {
  /** Checks that the policy is consistent: every key referenced exists, no key appears twice. */
  public TrustPolicy {
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(root, "root");
    if (version < 1) {
      throw new IllegalArgumentException("policy version must be at least 1, got " + version);
    }
    keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    roles = List.copyOf(roles);
    requireDistinctKeys(keys);
    requireKnown(root.keyIds(), keys, "root");
    Map<String, String> patternOwners = new HashMap<>();
    Map<String, Boolean> names = new HashMap<>();
    for (Role role : roles) {
      if (names.put(role.name(), true) != null) {
        throw new IllegalArgumentException("role name '" + role.name() + "' is used twice");
      }
      requireKnown(role.signers().keyIds(), keys, "role " + role.name());
      for (String pattern : role.patterns()) {
        String owner = patternOwners.putIfAbsent(pattern, role.name());
        if (owner != null) {
          throw new IllegalArgumentException(
              "pattern '" + pattern + "' is in both role " + owner + " and role " + role.name());
        }
      }
    }
  }

  /**
   * The role that governs a model name: an exact pattern wins, else the longest matching prefix.
   */
  public Optional<Role> roleFor(String modelName) {
    Role best = null;
    int bestLength = -1;
    for (Role role : roles) {
      int length = role.matchLength(modelName);
      if (length > bestLength) {
        best = role;
        bestLength = length;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Whether the policy has expired at {@code time}, allowing {@code tolerance} of clock drift. */
  public boolean expiredAt(Instant time, Duration tolerance) {
    return time.minus(tolerance).isAfter(expires);
  }

  private static void requireKnown(
      List<String> keyIds, Map<String, TrustedKey> keys, String where) {
    for (String keyId : keyIds) {
      if (!keys.containsKey(keyId)) {
        throw new IllegalArgumentException(
            where + " names key " + keyId + ", which the policy does not list");
      }
    }
  }

  /** The same key under two ids (or encodings) would count twice towards a threshold. */
  private static void requireDistinctKeys(Map<String, TrustedKey> keys) {
    Map<String, String> byEncoding = new HashMap<>();
    keys.forEach(
        (id, key) -> {
          if (!id.equals(key.keyId())) {
            throw new IllegalArgumentException(
                "key listed under id " + id + " has id " + key.keyId());
          }
          String encoding = Arrays.toString(key.publicKey().getEncoded());
          String other = byEncoding.putIfAbsent(encoding, id);
          if (other != null) {
            throw new IllegalArgumentException("the same key is listed as " + other + " and " + id);
          }
        });
  }
}
