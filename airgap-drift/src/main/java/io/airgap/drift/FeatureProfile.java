package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.function.Function;

/**
 * What one feature (one column) looked like: a {@link NumericFeature} or a {@link
 * CategoricalFeature}, nothing else. Each counts values into buckets frozen from a reference (bins
 * or a category dictionary), so profiles of the same feature add up. Implementations are not
 * thread-safe.
 */
public sealed interface FeatureProfile permits NumericFeature, CategoricalFeature {
  /** The feature's name. */
  String name();

  /** Values recorded, missing entries excluded (for a numeric feature: finite values). */
  long count();

  /** Missing entries (an empty cell, a null). */
  long missing();

  /** Records a missing entry. */
  void addMissing();

  /** An empty profile of the same feature with the same frozen bins or dictionary. */
  FeatureProfile newLive();

  /**
   * Whether {@code other} profiles the same feature, of the same kind, over the same frozen bins or
   * dictionary, so that {@link #merge} adds it up.
   */
  boolean hasSameBuckets(FeatureProfile other);

  /**
   * Adds another profile of the same feature with the same frozen bins or dictionary.
   *
   * @throws FormatException when {@link #hasSameBuckets} is false; nothing is merged then
   */
  void merge(FeatureProfile other);

  /**
   * Applies the function for this profile's kind. Both kinds must be handled, so adding a kind
   * breaks every caller at compile time, as a {@code switch} over the sealed type would on Java 21.
   */
  <R> R match(
      Function<? super NumericFeature, ? extends R> numeric,
      Function<? super CategoricalFeature, ? extends R> categorical);
}
