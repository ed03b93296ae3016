package io.airgap.core.drift;

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
 * @param features one decision per feature, in column order
 * @param correction the multiple-testing correction applied to the p-values
 */
public record DriftReport(List<FeatureDrift> features, MultipleTesting.Correction correction) {
  /** Copies the list. */
  public DriftReport {
    features = List.copyOf(features);
  }

  /** Compares, applies the correction, and reports. */
  public static DriftReport compare(
      DriftProfile reference, DriftProfile current, MultipleTesting.Correction correction) {
    return new DriftReport(
        MultipleTesting.apply(DriftDetector.compare(reference, current), correction), correction);
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
    root.put("features", features.size());
    root.put("correction", correction.name().toLowerCase(Locale.ROOT));
    ArrayNode array = root.putArray("results");
    for (FeatureDrift f : features) {
      ObjectNode node = array.addObject();
      node.put("feature", f.feature()).put("method", f.method()).put("statistic", f.statistic());
      if (Double.isNaN(f.pvalue())) {
        node.putNull("pvalue");
      } else {
        node.put("pvalue", f.pvalue());
      }
      node.put("threshold", f.threshold()).put("drifted", f.drifted());
      node.put("referenceCount", f.referenceCount()).put("currentCount", f.currentCount());
      node.put("exact", f.exact());
    }
    return new String(StrictJson.writePretty(root), StandardCharsets.UTF_8);
  }

  /** The report as an aligned plain-text table, one line per feature, then the verdict. */
  public String toText() {
    int width = Math.max(7, features.stream().mapToInt(f -> f.feature().length()).max().orElse(0));
    int methodWidth =
        Math.max(6, features.stream().mapToInt(f -> methodLabel(f).length()).max().orElse(0));
    StringBuilder text = new StringBuilder();
    String format = "%-" + width + "s  %-" + methodWidth + "s  %12s  %12s  %9s  %-5s%n";
    text.append(
        String.format(
            Locale.ROOT,
            format,
            "feature",
            "method",
            "statistic",
            "p-value",
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
              Double.isNaN(f.pvalue()) ? "-" : number(f.pvalue()),
              number(f.threshold()),
              f.drifted() ? "DRIFT" : "ok"));
    }
    long drifted = features.stream().filter(FeatureDrift::drifted).count();
    text.append(
        String.format(
            Locale.ROOT,
            "%d of %d features drifted (%s correction): dataset %s%n",
            drifted,
            features.size(),
            correction.name().toLowerCase(Locale.ROOT).replace('_', '-'),
            datasetDrifted() ? "DRIFTED" : "stable"));
    return text.toString();
  }

  /** The method name, marked when the decision rests on a sketch rather than exact values. */
  static String methodLabel(FeatureDrift f) {
    return f.method() + (f.exact() ? "" : " (sketch)");
  }

  /** A statistic as the text and HTML reports print it: fixed point, scientific when tiny. */
  static String number(double value) {
    return String.format(
        Locale.ROOT, Math.abs(value) >= 1e-4 || value == 0 ? "%.6f" : "%.4e", value);
  }
}
