package io.airgap.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * Reads and writes drift profiles as versioned JSON (schema version 1, see docs/drift.md): one
 * object per feature, in column order. Reading is strict: unknown versions and fields, missing
 * fields, negative counts, counts that disagree with the bins or the sketch are refused with the
 * feature named. Stateless and thread-safe.
 */
public final class ProfileCodec {
  /** The schema version this code reads and writes. */
  public static final int SCHEMA_VERSION = 1;

  private static final Set<String> ROOT_FIELDS = Set.of("schemaVersion", "features");
  private static final Set<String> NUMERIC_FIELDS =
      Set.of(
          "name",
          "type",
          "edges",
          "binCounts",
          "count",
          "missing",
          "nan",
          "infinite",
          "invalid",
          "mean",
          "variance",
          "min",
          "max",
          "kll",
          "exactLimit",
          "exactValues",
          "fewValues",
          "fewCounts");
  private static final Set<String> CATEGORICAL_FIELDS =
      Set.of("name", "type", "dictionary", "counts", "missing");

  private ProfileCodec() {}

  /** Serializes features, in the order given, two-space indented. */
  public static byte[] write(List<? extends FeatureProfile> features) {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    ArrayNode array = root.putArray("features");
    for (FeatureProfile feature : features) {
      ObjectNode node = array.addObject();
      feature.match(
          numeric -> writeNumeric(node, numeric),
          categorical -> writeCategorical(node, categorical));
    }
    return StrictJson.writePretty(root);
  }

  /** Serializes a profile's features, two-space indented. */
  public static byte[] write(DriftProfile profile) {
    return write(profile.features());
  }

  private static ObjectNode writeNumeric(ObjectNode node, NumericFeature feature) {
    NumericFeature.Stats stats = feature.stats();
    node.put("name", feature.name()).put("type", "numeric");
    ArrayNode edges = node.putArray("edges");
    for (double edge : feature.bins().edges()) {
      edges.add(edge);
    }
    ArrayNode counts = node.putArray("binCounts");
    for (long count : feature.binCounts()) {
      counts.add(count);
    }
    node.put("count", stats.count()).put("missing", stats.missing()).put("nan", stats.nan());
    node.put("infinite", stats.infinite())
        .put("invalid", feature.invalid())
        .put("mean", stats.mean())
        .put("variance", stats.variance());
    if (stats.count() > 0) {
      node.put("min", stats.min()).put("max", stats.max());
    }
    node.put("kll", Base64.getEncoder().encodeToString(feature.sketchBytes()));
    node.put("exactLimit", feature.exactLimit());
    if (feature.hasExactValues()) {
      ArrayNode exact = node.putArray("exactValues");
      for (double value : feature.exactValues()) {
        exact.add(value);
      }
    }
    FewValues few = feature.fewValues();
    if (!few.overflowed()) {
      ArrayNode values = node.putArray("fewValues");
      ArrayNode fewCounts = node.putArray("fewCounts");
      for (double value : few.values()) {
        values.add(value);
        fewCounts.add(few.count(value));
      }
    }
    return node;
  }

  private static ObjectNode writeCategorical(ObjectNode node, CategoricalFeature feature) {
    node.put("name", feature.name()).put("type", "categorical");
    feature.dictionary().forEach(node.putArray("dictionary")::add);
    ArrayNode counts = node.putArray("counts");
    for (long count : feature.counts()) {
      counts.add(count);
    }
    return node.put("missing", feature.missing());
  }

  /**
   * Parses a profile document into its features, in the document's order.
   *
   * @param where names the file in errors
   * @throws FormatException naming the feature and field at fault
   */
  public static List<FeatureProfile> parse(byte[] json, String where) {
    JsonNode root = StrictJson.readObject(json, where);
    StrictJson.requireOnly(root, ROOT_FIELDS, where);
    long version = StrictJson.integer(root, "schemaVersion", where);
    if (version != SCHEMA_VERSION) {
      throw new FormatException(
          where
              + ": profile schemaVersion "
              + version
              + " is not supported; this reads "
              + SCHEMA_VERSION);
    }
    List<FeatureProfile> features = new ArrayList<>();
    JsonNode array = StrictJson.array(root, "features", where);
    for (int i = 0; i < array.size(); i++) {
      JsonNode node = array.get(i);
      String at = where + " features[" + i + "]";
      if (!node.isObject()) {
        throw new FormatException(at + " must be an object");
      }
      String type = StrictJson.text(node, "type", at);
      String name = StrictJson.text(node, "name", at);
      at = where + " feature " + name;
      switch (type) {
        case "numeric" -> features.add(readNumeric(node, name, at));
        case "categorical" -> features.add(readCategorical(node, name, at));
        default -> throw new FormatException(at + ": unknown type '" + type + "'");
      }
    }
    return features;
  }

  private static NumericFeature readNumeric(JsonNode node, String name, String at) {
    StrictJson.requireOnly(node, NUMERIC_FIELDS, at);
    NumericBins bins = NumericBins.of(doubles(StrictJson.array(node, "edges", at), at + " edges"));
    long count = nonNegative(node, "count", at);
    NumericFeature.Stats stats =
        new NumericFeature.Stats(
            count,
            nonNegative(node, "missing", at),
            nonNegative(node, "nan", at),
            nonNegative(node, "infinite", at),
            number(node, "mean", at),
            number(node, "variance", at),
            count == 0 ? Double.POSITIVE_INFINITY : number(node, "min", at),
            count == 0 ? Double.NEGATIVE_INFINITY : number(node, "max", at));
    double[] exact =
        node.has("exactValues")
            ? doubles(StrictJson.array(node, "exactValues", at), at + " exactValues")
            : null;
    FewValues few = FewValues.overflowedInstance();
    if (node.has("fewValues") || node.has("fewCounts")) {
      few =
          FewValues.restore(
              doubles(StrictJson.array(node, "fewValues", at), at + " fewValues"),
              longs(StrictJson.array(node, "fewCounts", at), at),
              count,
              at);
    }
    int exactLimit = (int) nonNegative(node, "exactLimit", at);
    long[] binCounts = longs(StrictJson.array(node, "binCounts", at), at);
    byte[] kll = StrictJson.base64(node, "kll", at);
    String where = "numeric feature " + name;
    checkCounts(where, bins, binCounts, stats);
    KllDoublesSketch sketch = sketch(where, kll, stats.count());
    if (exact != null && (exact.length != stats.count() || exact.length > exactLimit)) {
      throw new FormatException(
          where
              + ": "
              + exact.length
              + " exact values for count "
              + stats.count()
              + " and limit "
              + exactLimit);
    }
    NumericFeature feature =
        NumericFeature.restored(name, bins, exactLimit, binCounts, stats, sketch, exact, few);
    feature.restoreInvalid(nonNegative(node, "invalid", at));
    return feature;
  }

  /** Bin counts that fit the bins and add up to the count; no negative count. */
  private static void checkCounts(
      String where, NumericBins bins, long[] binCounts, NumericFeature.Stats stats) {
    if (binCounts.length != bins.count()) {
      throw new FormatException(
          where + ": " + binCounts.length + " bin counts for " + bins.count() + " bins");
    }
    long total = 0;
    for (long c : binCounts) {
      if (c < 0) {
        throw new FormatException(where + ": negative bin count " + c);
      }
      total += c;
    }
    if (total != stats.count() || stats.missing() < 0 || stats.nan() < 0 || stats.infinite() < 0) {
      throw new FormatException(
          where
              + ": counts disagree (bins hold "
              + total
              + ", count "
              + stats.count()
              + ") or are negative");
    }
  }

  /** A valid DataSketches KLL sketch holding {@code count} values. */
  private static KllDoublesSketch sketch(String where, byte[] bytes, long count) {
    KllDoublesSketch sketch;
    try {
      sketch = KllDoublesSketch.heapify(Memory.wrap(bytes));
    } catch (RuntimeException e) {
      throw new FormatException(where + ": the KLL sketch is not a valid DataSketches sketch", e);
    }
    if (sketch.getN() != count) {
      throw new FormatException(
          where + ": the sketch holds " + sketch.getN() + " values, count says " + count);
    }
    return sketch;
  }

  private static CategoricalFeature readCategorical(JsonNode node, String name, String at) {
    StrictJson.requireOnly(node, CATEGORICAL_FIELDS, at);
    List<String> dictionary = new ArrayList<>();
    for (JsonNode entry : StrictJson.array(node, "dictionary", at)) {
      if (!entry.isTextual()) {
        throw new FormatException(at + ": dictionary entries must be strings");
      }
      dictionary.add(entry.textValue());
    }
    long[] counts = longs(StrictJson.array(node, "counts", at), at);
    if (counts.length != dictionary.size() + 1) {
      throw new FormatException(
          at
              + ": "
              + counts.length
              + " counts for "
              + dictionary.size()
              + " categories and 'other'");
    }
    CategoricalFeature feature = new CategoricalFeature(name, dictionary);
    feature.restore(counts, nonNegative(node, "missing", at));
    return feature;
  }

  static long nonNegative(JsonNode node, String field, String at) {
    long value = StrictJson.integer(node, field, at);
    if (value < 0) {
      throw new FormatException(at + ": '" + field + "' is negative (" + value + ")");
    }
    return value;
  }

  static double number(JsonNode node, String field, String at) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      throw new FormatException(at + ": missing or non-numeric '" + field + "'");
    }
    return value.doubleValue();
  }

  private static double[] doubles(JsonNode array, String at) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      if (!array.get(i).isNumber()) {
        throw new FormatException(at + "[" + i + "] is not a number");
      }
      values[i] = array.get(i).doubleValue();
    }
    return values;
  }

  private static long[] longs(JsonNode array, String at) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = array.get(i);
      if (!value.canConvertToExactIntegral() || value.asLong() < 0) {
        throw new FormatException(
            at + ": count " + i + " is not a non-negative integer (" + value + ")");
      }
      values[i] = value.asLong();
    }
    return values;
  }
}
