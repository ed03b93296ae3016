package io.airgap.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Distance thresholds calibrated on the reference itself, so that a large reference does not need
 * Evidently's fixed 0.1: the reference is cut into chunks of the size of a live window, each chunk
 * is compared with the rest of the reference (leave one out), and a feature's threshold is the mean
 * of those distances plus three standard deviations. A live window then drifts when it is further
 * from the reference than the reference's own chunks are from each other, which keeps the rate of
 * false alarms low at any sample size. Only distances are calibrated: a test's p-value threshold
 * already means the same at every size. Immutable.
 *
 * @param chunkRows rows per chunk, which should match the live window
 * @param chunks chunks compared
 * @param thresholds one per feature, in column order
 */
public record DriftCalibration(long chunkRows, int chunks, List<Threshold> thresholds) {
  /** Standard deviations above the mean. */
  public static final double SIGMAS = 3;

  /** The smallest calibrated threshold: a constant feature must not drift at distance 0. */
  public static final double MIN_THRESHOLD = 1e-12;

  /** The schema version of the JSON form. */
  public static final int SCHEMA_VERSION = 1;

  private static final Set<String> ROOT_FIELDS =
      Set.of("schemaVersion", "chunkRows", "chunks", "sigmas", "thresholds");
  private static final Set<String> THRESHOLD_FIELDS =
      Set.of("feature", "method", "mean", "std", "threshold");

  /** Copies the list. */
  public DriftCalibration {
    thresholds = List.copyOf(thresholds);
  }

  /**
   * One feature's calibrated threshold.
   *
   * @param feature the feature's name
   * @param method the distance calibrated
   * @param mean mean distance of a chunk from the rest of the reference
   * @param std the distances' sample standard deviation
   * @param threshold mean + 3 std, at least {@link #MIN_THRESHOLD}
   */
  public record Threshold(
      String feature, DriftMethod method, double mean, double std, double threshold) {}

  /**
   * Calibrates every feature of {@code reference}: each of the {@code chunks} (live profiles of
   * consecutive reference rows, for example the windows of a {@link LiveProfile} fed with the
   * reference) is compared with the merge of all the others. The distance is the one {@code
   * options} name for the feature, else Jensen-Shannon for a categorical feature or a numeric one
   * with at most five values, and the normed Wasserstein distance for other numeric features.
   *
   * @param chunkRows rows per chunk, recorded with the thresholds
   * @throws IllegalArgumentException with fewer than 3 chunks, or when {@code options} name a test
   *     for a feature
   * @throws FormatException when a chunk does not have the reference's features and frozen bins
   */
  public static DriftCalibration leaveOneOut(
      DriftProfile reference, List<DriftProfile> chunks, long chunkRows, DriftOptions options) {
    if (chunks.size() < 3) {
      throw new IllegalArgumentException(
          "calibration needs at least 3 reference chunks, got "
              + chunks.size()
              + "; use smaller chunks or more reference rows");
    }
    List<DriftProfile> rests = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      DriftProfile rest = reference.newLive();
      for (int j = 0; j < chunks.size(); j++) {
        if (j != i) {
          rest.merge(chunks.get(j));
        }
      }
      rests.add(rest);
    }
    List<Threshold> thresholds = new ArrayList<>();
    for (FeatureProfile feature : reference.features()) {
      String name = feature.name();
      DriftMethod method = distanceFor(feature, options);
      DriftOptions forced =
          DriftOptions.builder().smoothing(options.smoothing()).method(name, method).build();
      double[] distances = new double[chunks.size()];
      for (int i = 0; i < chunks.size(); i++) {
        distances[i] =
            DriftDetector.compareFeature(
                    rests.get(i).feature(name), chunks.get(i).feature(name), forced)
                .statistic();
      }
      thresholds.add(threshold(name, method, distances));
    }
    return new DriftCalibration(chunkRows, chunks.size(), thresholds);
  }

  private static DriftMethod distanceFor(FeatureProfile feature, DriftOptions options) {
    String name = feature.name();
    DriftMethod configured = options.rule(name).map(DriftOptions.Rule::method).orElse(null);
    if (configured != null) {
      if (configured.isTest()) {
        throw new IllegalArgumentException(
            "feature "
                + name
                + " is set to the "
                + configured.label()
                + " test; calibration sets distance thresholds, a p-value threshold needs none");
      }
      return configured;
    }
    return feature.match(
        numeric ->
            numeric.fewValues().overflowed()
                ? DriftMethod.WASSERSTEIN_NORMED
                : DriftMethod.JENSEN_SHANNON,
        categorical -> DriftMethod.JENSEN_SHANNON);
  }

  private static Threshold threshold(String feature, DriftMethod method, double[] distances) {
    double mean = 0;
    for (double d : distances) {
      mean += d;
    }
    mean /= distances.length;
    double squares = 0;
    for (double d : distances) {
      squares += (d - mean) * (d - mean);
    }
    double std = Math.sqrt(squares / (distances.length - 1));
    return new Threshold(feature, method, mean, std, Math.max(MIN_THRESHOLD, mean + SIGMAS * std));
  }

  /** The calibration as JSON (schema version 1, see docs/drift.md). */
  public byte[] toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION)
        .put("chunkRows", chunkRows)
        .put("chunks", chunks)
        .put("sigmas", SIGMAS);
    ArrayNode array = root.putArray("thresholds");
    for (Threshold t : thresholds) {
      array
          .addObject()
          .put("feature", t.feature())
          .put("method", t.method().label())
          .put("mean", t.mean())
          .put("std", t.std())
          .put("threshold", t.threshold());
    }
    return StrictJson.writePretty(root);
  }

  /**
   * Parses the JSON form strictly.
   *
   * @param where names the file in errors
   * @throws FormatException naming the file and entry at fault
   */
  public static DriftCalibration parse(byte[] json, String where) {
    JsonNode root = StrictJson.readObject(json, where);
    StrictJson.requireOnly(root, ROOT_FIELDS, where);
    long version = StrictJson.integer(root, "schemaVersion", where);
    if (version != SCHEMA_VERSION) {
      throw new FormatException(
          where + ": calibration schemaVersion " + version + " is not supported");
    }
    if (ProfileCodec.number(root, "sigmas", where) != SIGMAS) {
      throw new FormatException(where + ": sigmas must be " + SIGMAS);
    }
    long chunkRows = StrictJson.positiveInteger(root, "chunkRows", where);
    long chunks = StrictJson.positiveInteger(root, "chunks", where);
    List<Threshold> thresholds = new ArrayList<>();
    JsonNode array = StrictJson.array(root, "thresholds", where);
    for (int i = 0; i < array.size(); i++) {
      thresholds.add(readThreshold(array.get(i), where + " thresholds[" + i + "]"));
    }
    return new DriftCalibration(chunkRows, (int) Math.min(Integer.MAX_VALUE, chunks), thresholds);
  }

  private static Threshold readThreshold(JsonNode node, String at) {
    if (!node.isObject()) {
      throw new FormatException(at + " must be an object");
    }
    StrictJson.requireOnly(node, THRESHOLD_FIELDS, at);
    String feature = StrictJson.text(node, "feature", at);
    DriftMethod method;
    try {
      method = DriftMethod.fromLabel(StrictJson.text(node, "method", at));
    } catch (IllegalArgumentException e) {
      throw new FormatException(at + ": " + e.getMessage(), e);
    }
    if (method.isTest()) {
      throw new FormatException(at + ": " + method.label() + " is a test, not a distance");
    }
    double threshold = ProfileCodec.number(node, "threshold", at);
    double std = ProfileCodec.number(node, "std", at);
    if (!(threshold >= MIN_THRESHOLD) || Double.isInfinite(threshold) || !(std >= 0)) {
      throw new FormatException(
          at + ": threshold " + threshold + " or std " + std + " is out of range");
    }
    return new Threshold(feature, method, ProfileCodec.number(node, "mean", at), std, threshold);
  }
}
