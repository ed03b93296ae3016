package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one categorical feature looked like: counts per category of a dictionary frozen from the
 * reference, one "other" bucket for every category the reference did not have (so a category seen
 * only in current data is counted, not lost), and missing entries. Not thread-safe; merge instances
 * with {@link #merge}.
 */
public final class CategoricalFeature {
  private final String name;
  private final List<String> dictionary;
  private final Map<String, Integer> index = new HashMap<>();
  private final long[] counts;
  private long missing;

  /** An empty profile over a frozen dictionary. */
  public CategoricalFeature(String name, List<String> dictionary) {
    this.name = name;
    this.dictionary = List.copyOf(dictionary);
    for (int i = 0; i < this.dictionary.size(); i++) {
      if (index.put(this.dictionary.get(i), i) != null) {
        throw new FormatException(
            "category '" + this.dictionary.get(i) + "' of feature " + name + " is listed twice");
      }
    }
    this.counts = new long[this.dictionary.size() + 1];
  }

  /** Records one value; {@code null} is a missing entry. */
  public void add(String value) {
    if (value == null) {
      missing++;
      return;
    }
    Integer at = index.get(value);
    counts[at == null ? counts.length - 1 : at]++;
  }

  /**
   * Adds another profile of the same feature over the same dictionary.
   *
   * @throws FormatException when the feature or dictionary differs; nothing is merged then
   */
  public void merge(CategoricalFeature other) {
    if (!name.equals(other.name) || !dictionary.equals(other.dictionary)) {
      throw new FormatException(
          "cannot merge categorical feature "
              + other.name
              + " into "
              + name
              + ": only profiles with the same frozen dictionary add up");
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
    missing += other.missing;
  }

  /** Sets the counts of a freshly created profile, from a serialized one. */
  void restore(long[] serializedCounts, long serializedMissing) {
    System.arraycopy(serializedCounts, 0, counts, 0, counts.length);
    missing = serializedMissing;
  }

  /** The feature's name. */
  public String name() {
    return name;
  }

  /** The frozen dictionary. */
  public List<String> dictionary() {
    return dictionary;
  }

  /** A copy of the counts: one per dictionary entry, then the "other" bucket. */
  public long[] counts() {
    return counts.clone();
  }

  /** Values recorded, missing ones excluded. */
  public long count() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /** Missing entries. */
  public long missing() {
    return missing;
  }
}
