package io.airgap.drift;

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

  /**
   * Profiles reference rows in two passes over {@code rows} (so the data need not fit in memory):
   * the first freezes bins and dictionaries, the second counts. A row maps column names to a {@link
   * Number} for a numeric column, a {@link String} for a categorical one, and null or nothing for a
   * missing entry; other keys are ignored.
   *
   * @param rows iterated twice; both passes must see the same rows
   * @throws FormatException naming the row and column of a value of the wrong kind, a column named
   *     twice, or a numeric column without a finite value
   */
  public static DriftProfile reference(
      Iterable<? extends Map<String, ?>> rows,
      List<String> numeric,
      List<String> categorical,
      int bins,
      int exactLimit,
      int maxCategories) {
    Map<String, Object> features = new LinkedHashMap<>();
    for (String name : numeric) {
      features.put(name, new BinsBuilder(exactLimit));
    }
    for (String name : categorical) {
      if (features.put(name, new HashMap<String, Long>()) != null) {
        throw new FormatException("feature " + name + " is named twice");
      }
    }
    forEachValue(
        rows, features.keySet(), numeric, (name, value) -> firstPass(features, name, value));
    for (String name : features.keySet()) {
      Object pass = features.get(name);
      if (pass instanceof BinsBuilder builder) {
        features.put(name, new NumericFeature(name, builder.freeze(name, bins), exactLimit));
      } else {
        @SuppressWarnings("unchecked")
        Map<String, Long> counts = (Map<String, Long>) pass;
        features.put(name, new CategoricalFeature(name, dictionary(counts, maxCategories)));
      }
    }
    DriftProfile profile = new DriftProfile(features);
    forEachValue(rows, features.keySet(), numeric, profile::record);
    return profile;
  }

  @SuppressWarnings("unchecked")
  private static void firstPass(Map<String, Object> features, String name, Object value) {
    Object pass = features.get(name);
    if (pass instanceof BinsBuilder builder) {
      if (value != null) {
        builder.add(((Number) value).doubleValue());
      }
    } else if (value != null) {
      ((Map<String, Long>) pass).merge((String) value, 1L, Long::sum);
    }
  }

  /** Records one checked value (null: missing) of a feature. */
  private void record(String name, Object value) {
    Object feature = features.get(name);
    if (feature instanceof NumericFeature n) {
      if (value == null) {
        n.addMissing();
      } else {
        n.add(((Number) value).doubleValue());
      }
    } else {
      ((CategoricalFeature) feature).add((String) value);
    }
  }

  /** Hands every value of the named columns to {@code action}, checking its kind. */
  private static void forEachValue(
      Iterable<? extends Map<String, ?>> rows,
      Iterable<String> names,
      List<String> numeric,
      java.util.function.BiConsumer<String, Object> action) {
    java.util.Set<String> numericNames = new java.util.HashSet<>(numeric);
    long index = 0;
    for (Map<String, ?> row : rows) {
      for (String name : names) {
        Object value = row.get(name);
        boolean isNumeric = numericNames.contains(name);
        if (value != null
            && (isNumeric ? !(value instanceof Number) : !(value instanceof String))) {
          throw new FormatException(
              "row "
                  + index
                  + " column "
                  + name
                  + ": expected a "
                  + (isNumeric ? "number" : "string")
                  + ", got "
                  + value.getClass().getSimpleName());
        }
        action.accept(name, value);
      }
      index++;
    }
  }

  /** First-pass state of a numeric column: its values up to the exact limit, and a sketch. */
  private static final class BinsBuilder {
    private final int exactLimit;
    private final org.apache.datasketches.kll.KllDoublesSketch sketch =
        org.apache.datasketches.kll.KllDoublesSketch.newHeapInstance(NumericFeature.KLL_K);
    private double[] values = new double[16];
    private int size;
    private boolean pastLimit;

    BinsBuilder(int exactLimit) {
      this.exactLimit = exactLimit;
    }

    void add(double value) {
      if (!Double.isFinite(value)) {
        return;
      }
      sketch.update(value);
      if (pastLimit) {
        return;
      }
      if (size == exactLimit) {
        pastLimit = true;
        values = null;
        return;
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, (int) Math.min(exactLimit, 2L * values.length));
      }
      values[size++] = value;
    }

    /** Exact quantile edges while the values fit the exact limit, else the sketch's. */
    NumericBins freeze(String name, int bins) {
      if (sketch.isEmpty()) {
        throw new FormatException("numeric feature " + name + " has no finite reference value");
      }
      if (!pastLimit) {
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return NumericBins.fromSortedValues(sorted, bins);
      }
      return NumericBins.fromSketch(sketch, bins);
    }
  }

  /** The most frequent categories, ties broken by name, at most {@code maxCategories}. */
  static List<String> dictionary(String[] values, int maxCategories) {
    Map<String, Long> counts = new HashMap<>();
    for (String value : values) {
      if (value != null) {
        counts.merge(value, 1L, Long::sum);
      }
    }
    return dictionary(counts, maxCategories);
  }

  private static List<String> dictionary(Map<String, Long> counts, int maxCategories) {
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

  /** The feature names, in the profile's order. */
  public List<String> names() {
    return List.copyOf(features.keySet());
  }

  /** Whether the profile has a feature of that name. */
  public boolean has(String name) {
    return features.containsKey(name);
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
