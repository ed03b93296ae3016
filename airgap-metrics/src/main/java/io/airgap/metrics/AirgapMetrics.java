package io.airgap.metrics;

import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import io.airgap.core.audit.AuditSink;
import io.airgap.drift.FeatureDrift;
import io.airgap.drift.monitor.DriftMonitor;
import io.airgap.inference.InferenceListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * airgap's meters on a Micrometer registry (a Prometheus registry serves them to the site's
 * Prometheus). Each hook is handed to the part of airgap it watches:
 *
 * <pre>{@code
 * AirgapMetrics metrics = AirgapMetrics.on(registry);
 * AuditSink audit = metrics.auditSink(auditLog);            // append latency, log size, verifications
 * VerifiedModel model = VerifiedModel.builder(dir).verifier(verifier).auditSink(audit, "svc").load();
 * InferenceSession session = InferenceSession.builder(model)
 *     .listener(metrics.inferenceListener())                 // latency, queue wait, batch size
 *     .listener(DriftMonitor.builder(reference).columns("x", "a", "b")
 *         .auditSink(audit, "svc").onDecision(metrics.driftListener()).build())
 *     .open();
 * }</pre>
 *
 * <table>
 *   <caption>Meters (Prometheus names in brackets)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th></tr>
 *   <tr><td>{@value #INFERENCE_RUN} ({@code airgap_inference_run_seconds})</td><td>timer,
 *       histogram</td><td>model</td></tr>
 *   <tr><td>{@value #INFERENCE_QUEUE} ({@code airgap_inference_queue_seconds})</td><td>timer,
 *       histogram: time a request waited for its batch</td><td>model</td></tr>
 *   <tr><td>{@value #INFERENCE_BATCH_SIZE} ({@code airgap_inference_batch_size})</td>
 *       <td>distribution summary, histogram: rows per run</td><td>model</td></tr>
 *   <tr><td>{@value #VERIFICATIONS} ({@code airgap_verifications_total})</td><td>counter</td>
 *       <td>action, outcome</td></tr>
 *   <tr><td>{@value #AUDIT_APPEND} ({@code airgap_audit_append_seconds})</td><td>timer,
 *       histogram</td><td>outcome: appended or failed</td></tr>
 *   <tr><td>{@value #AUDIT_LOG_ENTRIES} ({@code airgap_audit_log_entries})</td><td>gauge: entries in
 *       the log after the latest append</td><td></td></tr>
 *   <tr><td>{@value #DRIFT_STATISTIC} ({@code airgap_drift_statistic})</td><td>gauge: the latest
 *       window's statistic</td><td>model, feature</td></tr>
 *   <tr><td>{@value #DRIFT_PVALUE} ({@code airgap_drift_pvalue})</td><td>gauge: the latest
 *       window's test p-value, before any multiple-testing correction (NaN for distance
 *       methods)</td><td>model, feature</td></tr>
 *   <tr><td>{@value #DRIFT_ADJUSTED_PVALUE} ({@code airgap_drift_adjusted_pvalue})</td><td>gauge:
 *       the latest window's p-value after the monitor's correction, the one compared with the
 *       threshold (equal to the p-value without a correction; NaN for distance methods)</td>
 *       <td>model, feature</td></tr>
 *   <tr><td>{@value #DRIFT_THRESHOLD} ({@code airgap_drift_threshold})</td><td>gauge: the
 *       threshold on the adjusted p-value for tests, on the statistic for distances</td><td>model,
 *       feature</td></tr>
 *   <tr><td>{@value #DRIFT_DRIFTED} ({@code airgap_drift_drifted})</td><td>gauge: 1 when the
 *       feature drifted in the latest window, else 0</td><td>model, feature</td></tr>
 *   <tr><td>{@value #DRIFT_WINDOWS} ({@code airgap_drift_windows_total})</td><td>counter</td>
 *       <td>model, outcome: drifted or stable</td></tr>
 * </table>
 *
 * <p>Verification outcomes are counted from the audit events that pass through {@link #auditSink}:
 * {@code model.load} (which {@code VerifiedModel} records, outcome {@code success} or {@code
 * refused}) and any action ending in {@code .verify} that the host records. Use one instance per
 * registry and one {@link #auditSink} per audit log: Micrometer keeps the first gauge registered
 * under a name and tags. Thread-safe.
 */
public final class AirgapMetrics {
  /** Time inside ONNX Runtime per run. */
  public static final String INFERENCE_RUN = "airgap.inference.run";

  /** Time a batched request waited for its batch to form. */
  public static final String INFERENCE_QUEUE = "airgap.inference.queue";

  /** Rows per run. */
  public static final String INFERENCE_BATCH_SIZE = "airgap.inference.batch.size";

  /** Verification outcomes seen in the audit stream. */
  public static final String VERIFICATIONS = "airgap.verifications";

  /** Time to append one audit event. */
  public static final String AUDIT_APPEND = "airgap.audit.append";

  /** Entries in the audit log. */
  public static final String AUDIT_LOG_ENTRIES = "airgap.audit.log.entries";

  /** The latest drift statistic per feature. */
  public static final String DRIFT_STATISTIC = "airgap.drift.statistic";

  /** The latest test p-value per feature, before correction (NaN for distance methods). */
  public static final String DRIFT_PVALUE = "airgap.drift.pvalue";

  /** The latest p-value per feature after the monitor's multiple-testing correction. */
  public static final String DRIFT_ADJUSTED_PVALUE = "airgap.drift.adjusted.pvalue";

  /**
   * The threshold of the feature's method: on the adjusted p-value for tests, on the statistic
   * else.
   */
  public static final String DRIFT_THRESHOLD = "airgap.drift.threshold";

  /** Whether a feature drifted in the latest window (1) or not (0). */
  public static final String DRIFT_DRIFTED = "airgap.drift.drifted";

  /** Drift windows decided, by outcome. */
  public static final String DRIFT_WINDOWS = "airgap.drift.windows";

  private final MeterRegistry registry;
  private final ConcurrentMap<String, ModelMeters> models = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<String>, FeatureGauges> features = new ConcurrentHashMap<>();
  private final AtomicLong logEntries = new AtomicLong();

  private record ModelMeters(Timer run, Timer queue, DistributionSummary batchSize) {}

  /**
   * A feature's latest values; its gauges hold it strongly, so it lives as long as the registry.
   */
  private static final class FeatureGauges {
    volatile double statistic = Double.NaN;
    volatile double pvalue = Double.NaN;
    volatile double adjustedPvalue = Double.NaN;
    volatile double threshold = Double.NaN;
    volatile double drifted = Double.NaN;
  }

  private AirgapMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** airgap's meters on {@code registry}. */
  public static AirgapMetrics on(MeterRegistry registry) {
    return new AirgapMetrics(Objects.requireNonNull(registry, "registry"));
  }

  /** A listener timing every run of the sessions it is added to. */
  public InferenceListener inferenceListener() {
    return event -> {
      ModelMeters meters = models.computeIfAbsent(event.model(), this::modelMeters);
      meters.run().record(event.runNanos(), TimeUnit.NANOSECONDS);
      if (event.queueNanos() > 0) { // only batched runs wait; zeros would drown their wait times
        meters.queue().record(event.queueNanos(), TimeUnit.NANOSECONDS);
      }
      meters.batchSize().record(event.batchSize());
    };
  }

  private ModelMeters modelMeters(String model) {
    return new ModelMeters(
        Timer.builder(INFERENCE_RUN)
            .description("Time inside ONNX Runtime per run, tensor conversion included")
            .tag("model", model)
            .publishPercentileHistogram()
            .register(registry),
        Timer.builder(INFERENCE_QUEUE)
            .description("Time a batched request waited for its batch to form")
            .tag("model", model)
            .publishPercentileHistogram()
            .register(registry),
        DistributionSummary.builder(INFERENCE_BATCH_SIZE)
            .description("Rows per run")
            .tag("model", model)
            .publishPercentileHistogram()
            .register(registry));
  }

  /**
   * {@code delegate} (typically an {@code AuditLog}) with its appends timed, its size gauged and
   * verification outcomes counted. A failed append is timed, counted as failed and rethrown.
   */
  public AuditSink auditSink(AuditSink delegate) {
    Objects.requireNonNull(delegate, "delegate");
    Gauge.builder(AUDIT_LOG_ENTRIES, logEntries, AtomicLong::doubleValue)
        .description("Entries in the audit log after the latest append")
        .strongReference(true)
        .register(registry);
    Timer appended = appendTimer("appended");
    Timer failed = appendTimer("failed");
    return event -> {
      long start = System.nanoTime();
      AuditReceipt receipt;
      try {
        receipt = delegate.append(event);
      } catch (RuntimeException e) {
        failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        throw e;
      }
      appended.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      if (receipt != null) {
        logEntries.accumulateAndGet(receipt.index() + 1, Math::max);
      }
      countVerification(event);
      return receipt;
    };
  }

  private Timer appendTimer(String outcome) {
    return Timer.builder(AUDIT_APPEND)
        .description("Time to append one audit event")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry);
  }

  private void countVerification(AuditEvent event) {
    String action = event.action();
    if (action.equals("model.load") || action.endsWith(".verify")) {
      Counter.builder(VERIFICATIONS)
          .description("Verification outcomes recorded in the audit log")
          .tag("action", action)
          .tag("outcome", event.outcome())
          .register(registry)
          .increment();
    }
  }

  /** A callback for {@link DriftMonitor.Builder#onDecision} gauging every window's statistics. */
  public Consumer<DriftMonitor.Decision> driftListener() {
    return decision -> {
      Counter.builder(DRIFT_WINDOWS)
          .description("Drift windows decided")
          .tag("model", decision.model())
          .tag("outcome", decision.drifted() ? "drifted" : "stable")
          .register(registry)
          .increment();
      for (FeatureDrift drift : decision.report().features()) {
        FeatureGauges gauges =
            features.computeIfAbsent(
                List.of(decision.model(), drift.feature()), this::featureGauges);
        gauges.statistic = drift.statistic();
        gauges.pvalue = drift.pvalue();
        gauges.adjustedPvalue = drift.adjustedPvalue();
        gauges.threshold = drift.threshold();
        gauges.drifted = drift.drifted() ? 1 : 0;
      }
    };
  }

  private FeatureGauges featureGauges(List<String> modelAndFeature) {
    FeatureGauges gauges = new FeatureGauges();
    Tags tags = Tags.of("model", modelAndFeature.get(0), "feature", modelAndFeature.get(1));
    featureGauge(
        DRIFT_STATISTIC,
        "The latest drift window's statistic for the feature",
        gauges,
        tags,
        g -> g.statistic);
    featureGauge(
        DRIFT_PVALUE,
        "The latest drift window's test p-value for the feature, before correction"
            + " (NaN for distances)",
        gauges,
        tags,
        g -> g.pvalue);
    featureGauge(
        DRIFT_ADJUSTED_PVALUE,
        "The latest drift window's p-value for the feature after the multiple-testing correction"
            + " (NaN for distances)",
        gauges,
        tags,
        g -> g.adjustedPvalue);
    featureGauge(
        DRIFT_THRESHOLD,
        "The threshold of the feature's method: on the adjusted p-value for tests, else on the"
            + " statistic",
        gauges,
        tags,
        g -> g.threshold);
    featureGauge(
        DRIFT_DRIFTED,
        "1 when the feature drifted in the latest window, else 0",
        gauges,
        tags,
        g -> g.drifted);
    return gauges;
  }

  private void featureGauge(
      String name,
      String description,
      FeatureGauges gauges,
      Tags tags,
      ToDoubleFunction<FeatureGauges> value) {
    Gauge.builder(name, gauges, value)
        .description(description)
        .tags(tags)
        .strongReference(true)
        .register(registry);
  }
}
