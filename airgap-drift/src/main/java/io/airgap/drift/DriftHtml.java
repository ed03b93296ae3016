package io.airgap.drift;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a drift report as one self-contained HTML page: the verdict, the table of decisions, and
 * per feature an inline SVG histogram of reference against current proportions per frozen bin. No
 * script, font, style sheet or image is loaded from anywhere: the page is opened on isolated
 * workstations. Stateless and thread-safe.
 */
public final class DriftHtml {
  private static final int WIDTH = 480;
  private static final int HEIGHT = 160;

  /** Room under the bars for the rotated bucket labels. */
  private static final int LABEL_ROOM = 80;

  /** Room left of the bars, where the first rotated label ends. */
  private static final int LEFT_ROOM = 60;

  private DriftHtml() {}

  /** The page for a report and the two profiles it compared. */
  public static String render(DriftReport report, DriftProfile reference, DriftProfile current) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>Drift report</title><style>")
        .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
        .append("td,th{border:1px solid #999;padding:4px 8px;text-align:right}")
        .append("td:first-child,th:first-child{text-align:left}.drift{color:#b00;font-weight:bold}")
        .append("</style></head><body>\n");
    long drifted = report.features().stream().filter(FeatureDrift::drifted).count();
    html.append("<h1>Drift report</h1>\n<p id=\"verdict\">")
        .append(drifted)
        .append(" of ")
        .append(report.features().size())
        .append(" features drifted")
        .append(
            report.undecidedFeatures() == 0 ? "" : ", " + report.undecidedFeatures() + " undecided")
        .append(": dataset ")
        .append(report.datasetDrifted() ? "<span class=\"drift\">DRIFTED</span>" : "stable")
        .append("</p>\n<p id=\"correction\">Multiple-testing correction: ")
        .append(report.correction().label())
        .append(" (the adjusted p-value is compared with the threshold).")
        .append(
            "</p>\n<table><tr><th>feature</th><th>method</th><th>statistic</th><th>p-value</th>")
        .append("<th>adjusted p-value</th><th>threshold</th><th>drift</th></tr>\n");
    for (FeatureDrift f : report.features()) {
      html.append("<tr><td>")
          .append(escape(f.feature()))
          .append("</td><td>")
          .append(escape(DriftReport.methodLabel(f)))
          .append("</td><td>")
          .append(DriftReport.number(f.statistic()))
          .append("</td><td>")
          .append(DriftReport.pvalue(f.pvalue()))
          .append("</td><td>")
          .append(DriftReport.pvalue(f.adjustedPvalue()))
          .append("</td><td>")
          .append(DriftReport.number(f.threshold()))
          .append("</td><td>")
          .append(f.drifted() ? "<span class=\"drift\">DRIFT</span>" : DriftReport.verdictLabel(f))
          .append("</td></tr>\n");
    }
    html.append("</table>\n");
    for (FeatureDrift f : report.features()) {
      html.append("<h2>").append(escape(f.feature())).append("</h2>\n");
      html.append(
          histogram(
              labels(reference.feature(f.feature())),
              proportions(reference.feature(f.feature())),
              proportions(current.feature(f.feature()))));
    }
    return html.append(
            "<p>Reference in grey, current in blue, per frozen bin.</p>\n</body></html>\n")
        .toString();
  }

  private static double[] proportions(FeatureProfile feature) {
    long[] counts = feature.match(NumericFeature::binCounts, CategoricalFeature::counts);
    double total = 0;
    for (long c : counts) {
      total += c;
    }
    double[] out = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      out[i] = total == 0 ? 0 : counts[i] / total;
    }
    return out;
  }

  /**
   * One label per bucket: the bin's range for a numeric feature ({@code < min}, {@code [a, b)}, the
   * last inner bin closed, {@code > max}), the category names and "other" for a categorical one.
   */
  static List<String> labels(FeatureProfile feature) {
    return feature.match(DriftHtml::binLabels, DriftHtml::categoryLabels);
  }

  private static List<String> categoryLabels(CategoricalFeature feature) {
    List<String> labels = new ArrayList<>(feature.dictionary());
    labels.add("other");
    return labels;
  }

  private static List<String> binLabels(NumericFeature feature) {
    List<String> labels = new ArrayList<>();
    double[] edges = feature.bins().edges();
    int inner = feature.binCounts().length - 2;
    labels.add("< " + edge(edges[0]));
    for (int i = 0; i < inner; i++) {
      double low = edges[Math.min(i, edges.length - 1)];
      double high = edges[Math.min(i + 1, edges.length - 1)];
      labels.add("[" + edge(low) + ", " + edge(high) + (i == inner - 1 ? "]" : ")"));
    }
    labels.add("> " + edge(edges[edges.length - 1]));
    return labels;
  }

  private static String edge(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  private static String histogram(List<String> labels, double[] reference, double[] current) {
    double max = 0;
    for (int i = 0; i < reference.length; i++) {
      max = Math.max(max, Math.max(reference[i], current[i]));
    }
    double slot = (double) WIDTH / reference.length;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
            WIDTH + LEFT_ROOM,
            HEIGHT + LABEL_ROOM));
    svg.append("<g transform=\"translate(").append(LEFT_ROOM).append(",0)\">");
    for (int i = 0; i < reference.length; i++) {
      String label = escape(labels.get(i));
      bar(svg, i * slot + 1, slot / 2 - 1, reference[i], max, "#999", label + ": reference");
      bar(svg, i * slot + slot / 2, slot / 2 - 1, current[i], max, "#36c", label + ": current");
      double x = i * slot + slot / 2;
      double y = HEIGHT + 12;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\""
                  + " transform=\"rotate(-40 %.1f %.1f)\">%s</text>",
              x,
              y,
              x,
              y,
              shortened(label)));
    }
    return svg.append("</g></svg>\n").toString();
  }

  /** A label cut to fit under its bar; the full text stays in the bars' tooltips. */
  private static String shortened(String escaped) {
    return escaped.length() <= 24
        ? escaped
        : escaped.substring(0, 23).replaceAll("&[^;]*$", "") + "\u2026";
  }

  private static void bar(
      StringBuilder svg,
      double x,
      double width,
      double value,
      double max,
      String color,
      String title) {
    double height = max == 0 ? 0 : (HEIGHT - 10) * value / max;
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                + "<title>%s %.4f</title></rect>",
            x,
            HEIGHT - height,
            Math.max(width, 0.5),
            height,
            color,
            title,
            value));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
