package io.airgap.core.trust;

import java.util.List;
import java.util.Objects;

/**
 * A set of keys and how many of them must sign.
 *
 * @param keyIds the keys that may sign, by id
 * @param threshold how many distinct keys must sign, at least 1
 */
public record KeyThreshold(List<String> keyIds, int threshold) {
  /** Checks the threshold can be met. */
  public KeyThreshold {
    keyIds = List.copyOf(Objects.requireNonNull(keyIds, "keyIds"));
    if (threshold < 1 || threshold > keyIds.size()) {
      throw new IllegalArgumentException(
          "threshold " + threshold + " cannot be met by " + keyIds.size() + " keys");
    }
    if (keyIds.stream().distinct().count() != keyIds.size()) {
      throw new IllegalArgumentException("a key is listed twice in " + keyIds);
    }
  }
}
