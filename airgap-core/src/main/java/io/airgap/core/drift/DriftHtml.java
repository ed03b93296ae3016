package io.airgap.core.drift;

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
        .append(
            "</p>\n<table><tr><th>feature</th><th>method</th><th>statistic</th><th>p-value</th>")
        .append("<th>threshold</th><th>drift</th></tr>\n");
    for (FeatureDrift f : report.features()) {
      html.append("<tr><td>")
          .append(escape(f.feature()))
          .append("</td><td>")
          .append(escape(DriftReport.methodLabel(f)))
          .append("</td><td>")
          .append(DriftReport.number(f.statistic()))
          .append("</td><td>")
          .append(Double.isNaN(f.pvalue()) ? "-" : DriftReport.number(f.pvalue()))
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
              proportions(reference.feature(f.feature())),
              proportions(current.feature(f.feature()))));
    }
    return html.append(
            "<p>Reference in grey, current in blue, per frozen bin.</p>\n</body></html>\n")
        .toString();
  }

  private static double[] proportions(Object feature) {
    long[] counts =
        feature instanceof NumericFeature n
            ? n.binCounts()
            : ((CategoricalFeature) feature).counts();
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

  private static String histogram(double[] reference, double[] current) {
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
            WIDTH,
            HEIGHT));
    for (int i = 0; i < reference.length; i++) {
      bar(svg, i * slot + 1, slot / 2 - 1, reference[i], max, "#999");
      bar(svg, i * slot + slot / 2, slot / 2 - 1, current[i], max, "#36c");
    }
    return svg.append("</svg>\n").toString();
  }

  private static void bar(
      StringBuilder svg, double x, double width, double value, double max, String color) {
    double height = max == 0 ? 0 : (HEIGHT - 10) * value / max;
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%.4f</title></rect>",
            x,
            HEIGHT - height,
            Math.max(width, 0.5),
            height,
            color,
            value));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
