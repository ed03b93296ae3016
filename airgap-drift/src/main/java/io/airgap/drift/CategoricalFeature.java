package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What one categorical feature looked like: counts per category of a dictionary frozen from the
 * reference, one "other" bucket for every category the reference did not have (so a category seen
 * only in current data is counted, not lost), and missing entries. Not thread-safe; merge instances
 * with {@link #merge}.
 */
public final class CategoricalFeature implements FeatureProfile {
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

  /** Records a missing entry, as {@code add(null)} does. */
  @Override
  public void addMissing() {
    missing++;
  }

  /** An empty profile of this feature over the same frozen dictionary. */
  @Override
  public CategoricalFeature newLive() {
    return new CategoricalFeature(name, dictionary);
  }

  /** Whether {@code other} is a categorical profile of this feature over the same dictionary. */
  @Override
  public boolean hasSameBuckets(FeatureProfile other) {
    return other.match(
        n -> false, that -> name.equals(that.name) && dictionary.equals(that.dictionary));
  }

  /**
   * Adds another profile of the same feature over the same dictionary.
   *
   * @throws FormatException when the feature, its kind or the dictionary differs; nothing is merged
   *     then
   */
  @Override
  public void merge(FeatureProfile profile) {
    if (!hasSameBuckets(profile)) {
      throw new FormatException(
          "cannot merge "
              + profile.match(n -> "numeric", c -> "categorical")
              + " feature "
              + profile.name()
              + " into "
              + name
              + ": only profiles with the same frozen dictionary add up");
    }
    CategoricalFeature other = profile.match(n -> null, c -> c);
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

  /** Calls {@code categorical}: this is a categorical feature. */
  @Override
  public <R> R match(
      Function<? super NumericFeature, ? extends R> numeric,
      Function<? super CategoricalFeature, ? extends R> categorical) {
    return categorical.apply(this);
  }

  /** The feature's name. */
  @Override
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
  @Override
  public long count() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  /** Missing entries. */
  @Override
  public long missing() {
    return missing;
  }
}
