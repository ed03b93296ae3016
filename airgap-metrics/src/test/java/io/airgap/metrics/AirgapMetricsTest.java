package io.airgap.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.airgap.core.InputException;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import io.airgap.core.audit.AuditSink;
import io.airgap.drift.DriftProfile;
import io.airgap.drift.FeatureDrift;
import io.airgap.drift.MultipleTesting;
import io.airgap.drift.monitor.DriftMonitor;
import io.airgap.inference.InferenceListener;
import io.airgap.inference.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AirgapMetricsTest {
  private static final String DIGEST = "sha256:" + "cd".repeat(32);
  private static final Path DASHBOARD = Path.of("..", "docs", "grafana", "airgap-dashboard.json");

  private static AuditEvent event(String action, String outcome) {
    return new AuditEvent(
        Instant.parse("2026-11-26T12:00:00Z"), "svc", action, "m@" + DIGEST, outcome, Map.of());
  }

  private static InferenceListener.RunEvent run(long rows, long queueNanos, long runNanos) {
    float[] x = new float[(int) rows];
    return new InferenceListener.RunEvent(
        "clf",
        DIGEST,
        queueNanos,
        runNanos,
        rows,
        Map.of("x", Tensor.ofFloats(new long[] {rows}, x)),
        Map.of("y", Tensor.ofFloats(new long[] {rows}, x)));
  }

  /** A monitor on feature x (reference 0..99) and y (all zero), windows of 4 rows. */
  private static DriftMonitor monitor(AirgapMetrics metrics) {
    return DriftMonitor.builder(monitorReference())
        .columns("x", "x")
        .columns("y", "y")
        .windowRows(4)
        .onDecision(metrics.driftListener())
        .build();
  }

  /** Feature x is 0..99, y all zero. */
  private static DriftProfile monitorReference() {
    double[] values = new double[100];
    for (int i = 0; i < values.length; i++) {
      values[i] = i;
    }
    return DriftProfile.builder().numeric("x", values).numeric("y", new double[100]).build();
  }

  /** Every hook used once, as a running service would. */
  private static void exercise(AirgapMetrics metrics) {
    InferenceListener listener = metrics.inferenceListener();
    listener.onRun(run(4, 2_000_000, 3_000_000));
    listener.onRun(run(2, 0, 1_000_000));
    AuditSink sink =
        metrics.auditSink(
            e -> new AuditReceipt(e.action().equals("model.load") ? 41 : 6, new byte[32]));
    sink.append(event("model.load", "success"));
    sink.append(event("model.load", "refused"));
    sink.append(event("bundle.verify", "verified"));
    sink.append(event("model.run", "success"));
    DriftMonitor monitor = monitor(metrics);
    monitor.onRun(run(4, 0, 1)); // x all zero against 0..99: drifted
  }

  @Test
  void inferenceRunsAreTimedAndCountedPerModel() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    InferenceListener listener = AirgapMetrics.on(registry).inferenceListener();

    listener.onRun(run(4, 2_000_000, 3_000_000));
    listener.onRun(run(2, 0, 1_000_000));

    var runs = registry.get(AirgapMetrics.INFERENCE_RUN).tag("model", "clf").timer();
    assertThat(runs.count()).isEqualTo(2);
    assertThat(runs.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(4.0);
    var queue = registry.get(AirgapMetrics.INFERENCE_QUEUE).tag("model", "clf").timer();
    assertThat(queue.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(2.0);
    assertThat(queue.count()).isEqualTo(1); // the unbatched run waited for nothing
    var batch = registry.get(AirgapMetrics.INFERENCE_BATCH_SIZE).summary();
    assertThat(batch.totalAmount()).isEqualTo(6.0);
    assertThat(batch.max()).isEqualTo(4.0);
  }

  @Test
  void auditSinkCountsVerificationsAndTracksTheLogSize() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    exercise(AirgapMetrics.on(registry));

    assertThat(
            registry.get(AirgapMetrics.VERIFICATIONS).counters().stream()
                .collect(
                    Collectors.toMap(
                        c -> c.getId().getTag("action") + " " + c.getId().getTag("outcome"),
                        c -> c.count())))
        .isEqualTo(
            Map.of(
                "model.load success", 1.0,
                "model.load refused", 1.0,
                "bundle.verify verified", 1.0));
    assertThat(registry.get(AirgapMetrics.AUDIT_LOG_ENTRIES).gauge().value()).isEqualTo(42.0);
    assertThat(registry.get(AirgapMetrics.AUDIT_APPEND).tag("outcome", "appended").timer().count())
        .isEqualTo(4);
  }

  @Test
  void aFailedAppendIsTimedAsFailedAndRethrown() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AuditSink sink =
        AirgapMetrics.on(registry)
            .auditSink(
                e -> {
                  throw new InputException("disk full");
                });

    assertThatThrownBy(() -> sink.append(event("model.load", "success")))
        .isInstanceOf(InputException.class)
        .hasMessage("disk full");
    assertThat(registry.get(AirgapMetrics.AUDIT_APPEND).tag("outcome", "failed").timer().count())
        .isEqualTo(1);
    assertThat(registry.find(AirgapMetrics.VERIFICATIONS).counters()).isEmpty();
  }

  @Test
  void driftWindowsSetTheFeatureGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    exercise(AirgapMetrics.on(registry));

    assertThat(
            registry
                .get(AirgapMetrics.DRIFT_DRIFTED)
                .tags("model", "clf", "feature", "x")
                .gauge()
                .value())
        .isEqualTo(1.0);
    assertThat(
            registry
                .get(AirgapMetrics.DRIFT_DRIFTED)
                .tags("model", "clf", "feature", "y")
                .gauge()
                .value())
        .isEqualTo(0.0);
    assertThat(
            registry
                .get(AirgapMetrics.DRIFT_THRESHOLD)
                .tags("model", "clf", "feature", "x")
                .gauge()
                .value())
        .isEqualTo(0.05);
    assertThat(
            registry
                .get(AirgapMetrics.DRIFT_STATISTIC)
                .tags("model", "clf", "feature", "x")
                .gauge()
                .value())
        .isEqualTo(0.99);
    assertThat(
            registry
                .get(AirgapMetrics.DRIFT_WINDOWS)
                .tags("model", "clf", "outcome", "drifted")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  @Test
  void pvalueGaugeIsTheTestsOwnAndTheAdjustedOneIsCorrected() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AirgapMetrics metrics = AirgapMetrics.on(registry);
    List<FeatureDrift> decided = new ArrayList<>();
    DriftMonitor monitor =
        DriftMonitor.builder(monitorReference())
            .columns("x", "x")
            .columns("y", "y")
            .windowRows(4)
            .correction(MultipleTesting.Correction.BONFERRONI)
            .onDecision(
                decision -> {
                  decided.addAll(decision.report().features());
                  metrics.driftListener().accept(decision);
                })
            .build();

    monitor.onRun(run(4, 0, 1));

    FeatureDrift x = decided.get(0);
    assertThat(x.adjustedPvalue()).isEqualTo(Math.min(1, 2 * x.pvalue()));
    assertThat(gauge(registry, AirgapMetrics.DRIFT_PVALUE, "x")).isEqualTo(x.pvalue());
    assertThat(gauge(registry, AirgapMetrics.DRIFT_ADJUSTED_PVALUE, "x"))
        .isEqualTo(x.adjustedPvalue());
  }

  private static double gauge(SimpleMeterRegistry registry, String name, String feature) {
    return registry.get(name).tags("model", "clf", "feature", feature).gauge().value();
  }

  @Test
  void everyDashboardQueryNamesAMeterTheBinderExportsAndEveryMeterIsCharted() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    exercise(AirgapMetrics.on(registry));
    Set<String> exported = new TreeSet<>();
    for (String line : registry.scrape().split("\n")) {
      if (line.startsWith("airgap_")) {
        exported.add(line.split("[{ ]", 2)[0]);
      }
    }

    Set<String> charted = new TreeSet<>();
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    Pattern name = Pattern.compile("airgap_[a-z0-9_]+");
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        Matcher matcher = name.matcher(target.get("expr").asText());
        while (matcher.find()) {
          charted.add(matcher.group());
        }
      }
    }

    assertThat(exported).containsAll(charted);
    Set<String> families =
        exported.stream()
            .map(n -> n.replaceAll("_(bucket|count|sum|max|total)$", ""))
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> chartedFamilies =
        charted.stream()
            .map(n -> n.replaceAll("_(bucket|count|sum|max|total)$", ""))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(chartedFamilies).isEqualTo(families);
  }
}
