package io.airgap.drift;

import io.airgap.core.FormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Freezes bins and dictionaries from reference data given as columns or as rows, for {@link
 * DriftProfile.Builder}; also checks and records the loosely typed values of a row. Stateless.
 */
final class ReferenceProfiles {
  private ReferenceProfiles() {}

  /** Profiles columns, in {@code order}; numeric columns in parallel (they are independent). */
  static Map<String, FeatureProfile> fromColumns(
      Map<String, double[]> numeric,
      Map<String, String[]> categorical,
      List<String> order,
      DriftProfile.Settings settings) {
    List<Map.Entry<String, double[]>> columns = new ArrayList<>(numeric.entrySet());
    Map<String, FeatureProfile> profiled = new HashMap<>();
    columns.parallelStream()
        .map(c -> numericFeature(c.getKey(), c.getValue(), settings))
        .toList()
        .forEach(f -> profiled.put(f.name(), f));
    categorical.forEach(
        (name, values) -> {
          CategoricalFeature feature =
              new CategoricalFeature(name, dictionary(values, settings.maxCategories()));
          for (String value : values) {
            feature.add(value);
          }
          profiled.put(name, feature);
        });
    Map<String, FeatureProfile> features = new LinkedHashMap<>();
    order.forEach(name -> features.put(name, profiled.get(name)));
    return features;
  }

  /**
   * Profiles one numeric column. Up to the exact limit the bin edges are exact quantiles of the
   * sorted values; past it they are read from a KLL sketch of a first pass, so a large reference is
   * never sorted (edges within the sketch's rank error of the exact quantiles, then frozen).
   */
  private static NumericFeature numericFeature(
      String name, double[] values, DriftProfile.Settings settings) {
    if (values.length > settings.exactLimit()) {
      return sketchedFeature(name, values, settings);
    }
    double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
    if (finite.length == 0) {
      throw new FormatException("numeric feature " + name + " has no finite reference value");
    }
    NumericFeature feature =
        new NumericFeature(
            name, NumericBins.fromSortedValues(finite, settings.bins()), settings.exactLimit());
    for (double value : values) {
      feature.add(value);
    }
    return feature;
  }

  /**
   * A column past the exact limit: the first pass sketches it (in bulk where every value is
   * finite), the bins are frozen from that sketch, and the feature keeps the same sketch for its
   * own rather than sketching every value again in the second pass.
   */
  private static NumericFeature sketchedFeature(
      String name, double[] values, DriftProfile.Settings settings) {
    KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(NumericFeature.KLL_K);
    if (allFinite(values)) {
      sketch.update(values, 0, values.length);
    } else {
      for (double value : values) {
        if (Double.isFinite(value)) {
          sketch.update(value);
        }
      }
    }
    if (sketch.isEmpty()) {
      throw new FormatException("numeric feature " + name + " has no finite reference value");
    }
    NumericFeature feature =
        new NumericFeature(
            name, NumericBins.fromSketch(sketch, settings.bins()), settings.exactLimit());
    feature.addSketched(values, sketch);
    return feature;
  }

  private static boolean allFinite(double[] values) {
    for (double value : values) {
      if (!Double.isFinite(value)) {
        return false;
      }
    }
    return true;
  }

  /** Profiles rows in two passes: bins and dictionaries first, then counts. */
  static Map<String, FeatureProfile> fromRows(
      Iterable<? extends Map<String, ?>> rows,
      List<String> numeric,
      List<String> categorical,
      DriftProfile.Settings settings) {
    Map<String, BinsBuilder> bins = new LinkedHashMap<>();
    numeric.forEach(name -> bins.put(name, new BinsBuilder(settings.exactLimit())));
    Map<String, Map<String, Long>> categories = new LinkedHashMap<>();
    for (String name : categorical) {
      if (bins.containsKey(name) || categories.put(name, new HashMap<>()) != null) {
        throw new FormatException("feature " + name + " is named twice");
      }
    }
    forEachValue(
        rows,
        numeric,
        categorical,
        false,
        (name, value) -> bins.get(name).add(((Number) value).doubleValue()),
        (name, value) -> categories.get(name).merge((String) value, 1L, Long::sum));
    Map<String, FeatureProfile> features = new LinkedHashMap<>();
    bins.forEach(
        (name, builder) ->
            features.put(
                name,
                new NumericFeature(
                    name, builder.freeze(name, settings.bins()), settings.exactLimit())));
    categories.forEach(
        (name, counts) ->
            features.put(
                name, new CategoricalFeature(name, dictionary(counts, settings.maxCategories()))));
    Map<String, Consumer<Object>> recorders = new HashMap<>();
    features.forEach((name, feature) -> recorders.put(name, recorder(feature)));
    BiConsumer<String, Object> second = (name, value) -> recorders.get(name).accept(value);
    forEachValue(rows, numeric, categorical, true, second, second);
    return features;
  }

  /**
   * Hands every value of the named columns to the action for its kind, checking the value's kind;
   * null (missing) values only when {@code withMissing}.
   */
  private static void forEachValue(
      Iterable<? extends Map<String, ?>> rows,
      List<String> numeric,
      List<String> categorical,
      boolean withMissing,
      BiConsumer<String, Object> onNumber,
      BiConsumer<String, Object> onText) {
    long index = 0;
    for (Map<String, ?> row : rows) {
      for (String name : numeric) {
        Object value = row.get(name);
        if (value != null && !(value instanceof Number)) {
          throw wrongKind(index, name, "number", value);
        }
        if (value != null || withMissing) {
          onNumber.accept(name, value);
        }
      }
      for (String name : categorical) {
        Object value = row.get(name);
        if (value != null && !(value instanceof String)) {
          throw wrongKind(index, name, "string", value);
        }
        if (value != null || withMissing) {
          onText.accept(name, value);
        }
      }
      index++;
    }
  }

  private static FormatException wrongKind(long row, String column, String kind, Object value) {
    return new FormatException(
        "row "
            + row
            + " column "
            + column
            + ": expected a "
            + kind
            + ", got "
            + value.getClass().getSimpleName());
  }

  /**
   * What records one value of a row into the feature: a {@link Number} for a numeric feature, a
   * {@link String} for a categorical one (checked by the caller with {@link #accepts}), {@code
   * null} when missing. Made once per profile, so the row loop does not dispatch on the kind.
   */
  static Consumer<Object> recorder(FeatureProfile feature) {
    return feature.match(
        numeric ->
            value -> {
              if (value == null) {
                numeric.addMissing();
              } else {
                numeric.add(((Number) value).doubleValue());
              }
            },
        categorical -> value -> categorical.add((String) value));
  }

  /** Recorders for every feature of a profile, in its order. */
  static List<Consumer<Object>> recorders(DriftProfile profile) {
    return profile.features().stream().map(ReferenceProfiles::recorder).toList();
  }

  /** What a row must hold for the feature: {@code "number"} or {@code "string"}. */
  static String expects(FeatureProfile feature) {
    return feature.match(n -> "number", c -> "string");
  }

  /** Whether a non-null row value is of the feature's kind. */
  static Predicate<Object> accepts(FeatureProfile feature) {
    return feature.match(
        n -> value -> value instanceof Number, c -> value -> value instanceof String);
  }

  /** First-pass state of a numeric column: its values up to the exact limit, and a sketch. */
  private static final class BinsBuilder {
    private final int exactLimit;
    private final KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(NumericFeature.KLL_K);
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
}
