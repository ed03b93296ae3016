package io.airgap.core.trust;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>A policy is edited by copies: {@link #first} starts one, {@link #nextVersion} begins the next
 * version, and {@link #withKey}, {@link #withRole}, {@link #withRoot}, {@link #revokeKey} and
 * {@link #withoutKey} each return a changed copy, refusing a change that would make it inconsistent
 * with a message that names the parameter at fault.
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
   * A first policy: version 1, expiring at {@code expires}, listing {@code rootKeys} (with no
   * validity limits) as its root with {@code rootThreshold}, and no roles yet.
   *
   * @throws IllegalArgumentException when {@code rootKeys} is empty or lists a key twice, or {@code
   *     rootThreshold} cannot be met by them
   */
  public static TrustPolicy first(Instant expires, List<PublicKey> rootKeys, int rootThreshold) {
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(rootKeys, "rootKeys");
    if (rootKeys.isEmpty()) {
      throw new IllegalArgumentException("rootKeys is empty; a policy needs at least one root key");
    }
    Map<String, TrustedKey> keys = new LinkedHashMap<>();
    addKeys(keys, rootKeys);
    return new TrustPolicy(
        1, expires, keys, List.of(), rootThreshold(List.copyOf(keys.keySet()), rootThreshold));
  }

  /**
   * The draft of the next version: version + 1, expiring at {@code expires}, with the same keys,
   * roles and root (change them with the other methods). The current root must sign it too.
   *
   * @throws IllegalStateException when the version is already the largest a policy can have
   */
  public TrustPolicy nextVersion(Instant expires) {
    Objects.requireNonNull(expires, "expires");
    if (version == Long.MAX_VALUE) {
      throw new IllegalStateException(
          "policy version " + version + " is the largest possible; there is no next version");
    }
    return new TrustPolicy(version + 1, expires, keys, roles, root);
  }

  /**
   * A copy that also lists {@code key}.
   *
   * @throws IllegalArgumentException when the policy lists that key already
   */
  public TrustPolicy withKey(TrustedKey key) {
    Objects.requireNonNull(key, "key");
    if (keys.containsKey(key.keyId())) {
      throw new IllegalArgumentException("key " + key.keyId() + " is in the policy already");
    }
    Map<String, TrustedKey> more = new LinkedHashMap<>(keys);
    more.put(key.keyId(), key);
    return new TrustPolicy(version, expires, more, roles, root);
  }

  /**
   * A copy with {@code role} added, or replacing the role of the same name in its place.
   *
   * @throws IllegalArgumentException when the role names a key the policy does not list, or a
   *     pattern another role covers
   */
  public TrustPolicy withRole(Role role) {
    Objects.requireNonNull(role, "role");
    List<Role> changed = new ArrayList<>(roles);
    int at = roles.stream().map(Role::name).toList().indexOf(role.name());
    if (at >= 0) {
      changed.set(at, role);
    } else {
      changed.add(role);
    }
    return new TrustPolicy(version, expires, keys, changed, root);
  }

  /**
   * A copy whose root is {@code rootKeys} and {@code rootThreshold}; a root key the policy does not
   * list yet is added with no validity limits, one it lists keeps its entry. Keys that leave the
   * root stay listed (remove them with {@link #withoutKey}).
   *
   * @throws IllegalArgumentException when {@code rootKeys} is empty or lists a key twice, or {@code
   *     rootThreshold} cannot be met by them
   */
  public TrustPolicy withRoot(List<PublicKey> rootKeys, int rootThreshold) {
    Objects.requireNonNull(rootKeys, "rootKeys");
    if (rootKeys.isEmpty()) {
      throw new IllegalArgumentException("rootKeys is empty; a policy needs at least one root key");
    }
    Map<String, TrustedKey> root = new LinkedHashMap<>();
    addKeys(root, rootKeys);
    Map<String, TrustedKey> more = new LinkedHashMap<>(keys);
    root.forEach(more::putIfAbsent);
    return new TrustPolicy(
        version, expires, more, roles, rootThreshold(List.copyOf(root.keySet()), rootThreshold));
  }

  /**
   * A copy with the root's threshold changed, its keys the same.
   *
   * @throws IllegalArgumentException when the root's keys cannot meet {@code rootThreshold}
   */
  public TrustPolicy withRootThreshold(int rootThreshold) {
    return new TrustPolicy(
        version, expires, keys, roles, rootThreshold(root.keyIds(), rootThreshold));
  }

  /**
   * A copy in which the key {@code keyId} is revoked: it stays listed (so reports can name it and a
   * host that trusted it drops what it vouched for) but never counts again.
   *
   * @param reason why, for people reading reports
   * @param since when it was decided
   * @throws IllegalArgumentException when the policy does not list {@code keyId}, or {@code reason}
   *     is blank
   */
  public TrustPolicy revokeKey(String keyId, String reason, Instant since) {
    TrustedKey key = listed(keyId);
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(since, "since");
    if (reason.isBlank()) {
      throw new IllegalArgumentException("reason is blank; say why key " + keyId + " is revoked");
    }
    Map<String, TrustedKey> changed = new LinkedHashMap<>(keys);
    changed.put(
        keyId,
        new TrustedKey(
            keyId,
            key.type(),
            key.publicKey(),
            key.validFrom(),
            key.validUntil(),
            new TrustedKey.Revocation(reason, since)));
    return new TrustPolicy(version, expires, changed, roles, root);
  }

  /**
   * A copy that no longer lists the key {@code keyId} at all.
   *
   * @throws IllegalArgumentException when the policy does not list {@code keyId}, or the root or a
   *     role still names it (take it out of them first, or revoke it instead)
   */
  public TrustPolicy withoutKey(String keyId) {
    listed(keyId);
    List<String> users = new ArrayList<>();
    if (root.keyIds().contains(keyId)) {
      users.add("the root");
    }
    for (Role role : roles) {
      if (role.signers().keyIds().contains(keyId)) {
        users.add("role " + role.name());
      }
    }
    if (!users.isEmpty()) {
      throw new IllegalArgumentException(
          "keyId "
              + keyId
              + " is named by "
              + String.join(", ", users)
              + "; take it out of them first, or revoke it instead");
    }
    Map<String, TrustedKey> fewer = new LinkedHashMap<>(keys);
    fewer.remove(keyId);
    return new TrustPolicy(version, expires, fewer, roles, root);
  }

  private TrustedKey listed(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    TrustedKey key = keys.get(keyId);
    if (key == null) {
      throw new IllegalArgumentException("keyId " + keyId + " is not a key of the policy");
    }
    return key;
  }

  private static void addKeys(Map<String, TrustedKey> keys, List<PublicKey> publicKeys) {
    for (PublicKey publicKey : publicKeys) {
      TrustedKey key = TrustedKey.of(Objects.requireNonNull(publicKey, "rootKeys holds a null"));
      if (keys.putIfAbsent(key.keyId(), key) != null) {
        throw new IllegalArgumentException("rootKeys lists key " + key.keyId() + " twice");
      }
    }
  }

  private static KeyThreshold rootThreshold(List<String> keyIds, int rootThreshold) {
    try {
      return new KeyThreshold(keyIds, rootThreshold);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("rootThreshold: " + e.getMessage(), e);
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
