package io.airgap.drift;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.airgap.core.internal.StrictJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of one comparison: every feature's decision and the dataset's, as JSON for machines
 * and as a plain-text table for people. Immutable.
 *
 * @param features one decision per feature, in column order, each with its test's own p-value and
 *     the p-value after the correction
 * @param correction the multiple-testing correction that gave the adjusted p-values
 */
public record DriftReport(List<FeatureDrift> features, MultipleTesting.Correction correction) {
  /** Copies the list. */
  public DriftReport {
    features = List.copyOf(features);
  }

  /** Compares with Evidently's defaults, applies the correction, and reports. */
  public static DriftReport compare(
      DriftProfile reference, DriftProfile current, MultipleTesting.Correction correction) {
    return compare(reference, current, DriftOptions.defaults(), correction);
  }

  /** Compares with the given options, applies the correction, and reports. */
  public static DriftReport compare(
      DriftProfile reference,
      DriftProfile current,
      DriftOptions options,
      MultipleTesting.Correction correction) {
    return new DriftReport(
        MultipleTesting.apply(DriftDetector.compare(reference, current, options), correction),
        correction);
  }

  /** Features whose verdict is undecided (a sketch's error band straddles the threshold). */
  public long undecidedFeatures() {
    return features.stream().filter(f -> f.verdict() == FeatureDrift.Verdict.UNDECIDED).count();
  }

  /** Whether at least half of the features drifted. */
  public boolean datasetDrifted() {
    return DriftDetector.datasetDrifted(features);
  }

  /** The report as JSON. */
  public String toJson() {
    ObjectNode root = StrictJson.mapper().createObjectNode();
    root.put("datasetDrifted", datasetDrifted());
    root.put("driftedFeatures", features.stream().filter(FeatureDrift::drifted).count());
    root.put("undecidedFeatures", undecidedFeatures());
    root.put("features", features.size());
    root.put("correction", correction.label());
    ArrayNode array = root.putArray("results");
    for (FeatureDrift f : features) {
      ObjectNode node = array.addObject();
      node.put("feature", f.feature())
          .put("method", f.method().label())
          .put("statistic", f.statistic());
      putPvalue(node, "pvalue", f.pvalue());
      putPvalue(node, "adjustedPvalue", f.adjustedPvalue());
      node.put("threshold", f.threshold())
          .put("thresholdSource", lower(f.thresholdSource().name()))
          .put("verdict", lower(f.verdict().name()))
          .put("drifted", f.drifted());
      node.put("referenceCount", f.referenceCount()).put("currentCount", f.currentCount());
      node.put("exact", f.exact()).put("errorBound", f.errorBound());
    }
    return new String(StrictJson.writePretty(root), StandardCharsets.UTF_8);
  }

  /** A p-value, or null for a distance (JSON has no NaN). */
  private static void putPvalue(ObjectNode node, String field, double pvalue) {
    if (Double.isNaN(pvalue)) {
      node.putNull(field);
    } else {
      node.put(field, pvalue);
    }
  }

  /**
   * The report as an aligned plain-text table, one line per feature with the test's own and the
   * adjusted p-value, then the verdict and the correction.
   */
  public String toText() {
    int width = Math.max(7, features.stream().mapToInt(f -> f.feature().length()).max().orElse(0));
    int methodWidth =
        Math.max(6, features.stream().mapToInt(f -> methodLabel(f).length()).max().orElse(0));
    StringBuilder text = new StringBuilder();
    String format = "%-" + width + "s  %-" + methodWidth + "s  %12s  %12s  %12s  %9s  %-5s%n";
    text.append(
        String.format(
            Locale.ROOT,
            format,
            "feature",
            "method",
            "statistic",
            "p-value",
            "adjusted p",
            "threshold",
            "drift"));
    for (FeatureDrift f : features) {
      text.append(
          String.format(
              Locale.ROOT,
              format,
              f.feature(),
              methodLabel(f),
              number(f.statistic()),
              pvalue(f.pvalue()),
              pvalue(f.adjustedPvalue()),
              number(f.threshold()),
              verdictLabel(f)));
    }
    long drifted = features.stream().filter(FeatureDrift::drifted).count();
    long undecided = undecidedFeatures();
    text.append(
        String.format(
            Locale.ROOT,
            "%d of %d features drifted%s (%s correction): dataset %s%n",
            drifted,
            features.size(),
            undecided == 0 ? "" : ", " + undecided + " undecided",
            correction.label(),
            datasetDrifted() ? "DRIFTED" : "stable"));
    return text.toString();
  }

  /**
   * The method name, marked when the decision rests on a sketch rather than exact values, with the
   * statistic's error bound when one is known, and when the threshold was calibrated.
   */
  static String methodLabel(FeatureDrift f) {
    String label = f.method().label();
    if (!f.exact()) {
      label +=
          f.errorBound() > 0
              ? String.format(Locale.ROOT, " (sketch +-%.4f)", f.errorBound())
              : " (sketch)";
    }
    if (f.thresholdSource() == FeatureDrift.ThresholdSource.CALIBRATED) {
      label += " [calibrated]";
    }
    return label;
  }

  /** DRIFT, ok, or undecided. */
  static String verdictLabel(FeatureDrift f) {
    return switch (f.verdict()) {
      case DRIFTED -> "DRIFT";
      case STABLE -> "ok";
      case UNDECIDED -> "undecided";
    };
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** A p-value as the text and HTML reports print it, {@code -} for a distance. */
  static String pvalue(double value) {
    return Double.isNaN(value) ? "-" : number(value);
  }

  /** A statistic as the text and HTML reports print it: fixed point, scientific when tiny. */
  static String number(double value) {
    return String.format(
        Locale.ROOT, Math.abs(value) >= 1e-4 || value == 0 ? "%.6f" : "%.4e", value);
  }
}
