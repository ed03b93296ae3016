package io.airgap.core.drift;

import io.airgap.core.FormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataset's profile: one numeric or categorical feature profile per column, in column order.
 * {@link #reference} freezes bins and dictionaries from reference data; {@link #newLive()} gives an
 * empty profile with the same frozen bins for live data, and profiles with the same frozen bins
 * merge by addition. Not thread-safe.
 */
public final class DriftProfile {
  /** Default inner bins per numeric feature. */
  public static final int DEFAULT_BINS = 10;

  /** Default largest dictionary of a categorical feature; rarer categories go to "other". */
  public static final int DEFAULT_MAX_CATEGORIES = 1_000;

  private final Map<String, Object> features;

  private DriftProfile(Map<String, Object> features) {
    this.features = features;
  }

  /**
   * Profiles reference data, freezing for each numeric column edges at its quantiles and for each
   * categorical column its most frequent categories (ties broken by name).
   *
   * @param numeric numeric columns by name (NaN and infinities are counted, not binned)
   * @param categorical categorical columns by name ({@code null} is a missing entry)
   * @throws FormatException when a column name repeats or a numeric column has no finite value
   */
  public static DriftProfile reference(
      Map<String, double[]> numeric,
      Map<String, String[]> categorical,
      int bins,
      int exactLimit,
      int maxCategories) {
    Map<String, Object> features = new LinkedHashMap<>();
    // Features are independent: profile them in parallel, keeping column order.
    List<Map.Entry<String, double[]>> columns = new ArrayList<>(numeric.entrySet());
    List<NumericFeature> profiled =
        columns.parallelStream()
            .map(c -> numericFeature(c.getKey(), c.getValue(), bins, exactLimit))
            .toList();
    for (NumericFeature feature : profiled) {
      features.put(feature.name(), feature);
    }
    categorical.forEach(
        (name, values) -> {
          if (features.containsKey(name)) {
            throw new FormatException("feature " + name + " is both numeric and categorical");
          }
          CategoricalFeature feature =
              new CategoricalFeature(name, dictionary(values, maxCategories));
          for (String value : values) {
            feature.add(value);
          }
          features.put(name, feature);
        });
    return new DriftProfile(features);
  }

  /**
   * Profiles one numeric column. Up to the exact limit the bin edges are exact quantiles of the
   * sorted values; past it they are read from a KLL sketch of a first pass, so a large reference is
   * never sorted (edges within the sketch's rank error of the exact quantiles, then frozen).
   */
  private static NumericFeature numericFeature(
      String name, double[] values, int bins, int exactLimit) {
    NumericBins frozen;
    if (values.length <= exactLimit) {
      double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
      if (finite.length == 0) {
        throw new FormatException("numeric feature " + name + " has no finite reference value");
      }
      frozen = NumericBins.fromSortedValues(finite, bins);
    } else {
      org.apache.datasketches.kll.KllDoublesSketch sketch =
          org.apache.datasketches.kll.KllDoublesSketch.newHeapInstance(NumericFeature.KLL_K);
      for (double value : values) {
        if (Double.isFinite(value)) {
          sketch.update(value);
        }
      }
      if (sketch.isEmpty()) {
        throw new FormatException("numeric feature " + name + " has no finite reference value");
      }
      frozen = NumericBins.fromSketch(sketch, bins);
    }
    NumericFeature feature = new NumericFeature(name, frozen, exactLimit);
    for (double value : values) {
      feature.add(value);
    }
    return feature;
  }

  /** The most frequent categories, ties broken by name, at most {@code maxCategories}. */
  static List<String> dictionary(String[] values, int maxCategories) {
    Map<String, Long> counts = new HashMap<>();
    for (String value : values) {
      if (value != null) {
        counts.merge(value, 1L, Long::sum);
      }
    }
    List<String> categories = new ArrayList<>(counts.keySet());
    categories.sort(
        Comparator.comparing((String c) -> counts.get(c))
            .reversed()
            .thenComparing(Comparator.naturalOrder()));
    return categories.subList(0, Math.min(maxCategories, categories.size()));
  }

  /** A profile of features read from JSON ({@link ProfileCodec}). */
  public static DriftProfile of(List<Object> features) {
    Map<String, Object> byName = new LinkedHashMap<>();
    for (Object feature : features) {
      String name =
          feature instanceof NumericFeature n ? n.name() : ((CategoricalFeature) feature).name();
      if (byName.put(name, feature) != null) {
        throw new FormatException("feature " + name + " appears twice in the profile");
      }
    }
    return new DriftProfile(byName);
  }

  /** An empty profile with the same frozen bins and dictionaries, for live data. */
  public DriftProfile newLive() {
    Map<String, Object> live = new LinkedHashMap<>();
    features.forEach(
        (name, feature) -> {
          if (feature instanceof NumericFeature numeric) {
            live.put(name, new NumericFeature(name, numeric.bins(), numeric.exactLimit()));
          } else {
            live.put(
                name, new CategoricalFeature(name, ((CategoricalFeature) feature).dictionary()));
          }
        });
    return new DriftProfile(live);
  }

  /**
   * Adds another profile with the same features and frozen bins.
   *
   * @throws FormatException naming the first feature that differs; nothing is merged then
   */
  public void merge(DriftProfile other) {
    if (!features.keySet().equals(other.features.keySet())) {
      throw new FormatException(
          "cannot merge profiles of features "
              + other.features.keySet()
              + " into "
              + features.keySet());
    }
    features.forEach(
        (name, feature) -> {
          Object theirs = other.features.get(name);
          boolean sameKind = feature.getClass() == theirs.getClass();
          boolean same =
              sameKind
                  && (feature instanceof NumericFeature n
                      ? n.bins().equals(((NumericFeature) theirs).bins())
                      : ((CategoricalFeature) feature)
                          .dictionary()
                          .equals(((CategoricalFeature) theirs).dictionary()));
          if (!same) {
            throw new FormatException(
                "cannot merge profiles: feature " + name + " has other frozen bins or categories");
          }
        });
    features.forEach(
        (name, feature) -> {
          if (feature instanceof NumericFeature numeric) {
            numeric.merge((NumericFeature) other.features.get(name));
          } else {
            ((CategoricalFeature) feature).merge((CategoricalFeature) other.features.get(name));
          }
        });
  }

  /**
   * The feature profiles in column order ({@link NumericFeature} or {@link CategoricalFeature}).
   */
  public List<Object> features() {
    return Collections.unmodifiableList(new ArrayList<>(features.values()));
  }

  /** One feature's profile. */
  public Object feature(String name) {
    Object feature = features.get(name);
    if (feature == null) {
      throw new FormatException("the profile has no feature " + name);
    }
    return feature;
  }
}
