package io.airgap.drift.monitor;

import io.airgap.core.FormatException;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditSink;
import io.airgap.drift.DriftOptions;
import io.airgap.drift.DriftProfile;
import io.airgap.drift.DriftReport;
import io.airgap.drift.FeatureDrift;
import io.airgap.drift.LiveProfile;
import io.airgap.drift.MultipleTesting;
import io.airgap.inference.InferenceListener;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Watches a running model for drift: an {@link InferenceListener} that records every row of the
 * named input and output tensors in a {@link LiveProfile} against a reference profile, compares
 * each closed window with the reference ({@link DriftReport}), records the decision in the audit
 * log and hands it to a callback (metrics, alerts).
 *
 * <p>Columns map tensors to features: a tensor of shape {@code [batch]} is one feature, a tensor of
 * shape {@code [batch, n]} is {@code n} features, named in order. Numeric features take the
 * tensor's numbers (booleans as 0 and 1); categorical features take strings, and the decimal text
 * of integer tensors (class labels). Every feature of the reference must be mapped, so none is
 * silently counted as missing.
 *
 * <p>Thread-safe: one monitor may watch a session shared by many threads (one model: rows of
 * another model digest are refused). The comparison, the audit append and the callback run on the
 * inference thread whose row closed the window, one window at a time; windows closed by two threads
 * at nearly the same moment may be decided in either order (each carries its time span). A time
 * window closes at the first row after its span, or at {@link #flush()}: a model that receives no
 * traffic decides nothing until then.
 */
public final class DriftMonitor implements InferenceListener {
  /** Audit action of a window's decision. */
  public static final String ACTION = "drift.window";

  /** At most this many drifted feature names go into one audit entry. */
  static final int MAX_NAMED_FEATURES = 50;

  private final DriftProfile reference;
  private final TensorRows rows;
  private final DriftOptions options;
  private final MultipleTesting.Correction correction;
  private final AuditSink auditSink;
  private final String actor;
  private final Clock clock;
  private final Consumer<Decision> onDecision;
  private final LiveProfile live;
  private final Object decisions = new Object();
  private volatile String model;
  private volatile String modelDigest;

  /**
   * What the monitor decided about one window.
   *
   * @param model the model name
   * @param modelDigest its root digest
   * @param window the window's rows, profile and time span
   * @param report the comparison with the reference
   */
  public record Decision(
      String model, String modelDigest, LiveProfile.Window window, DriftReport report) {
    /** Whether the window drifted as a whole (at least half of the features). */
    public boolean drifted() {
      return report.datasetDrifted();
    }

    /** The features that drifted, in the report's order. */
    public List<String> driftedFeatures() {
      return report.features().stream()
          .filter(FeatureDrift::drifted)
          .map(FeatureDrift::feature)
          .toList();
    }
  }

  private DriftMonitor(Builder builder) {
    reference = builder.reference;
    Map<String, Boolean> kinds = new HashMap<>();
    builder.columns.values().stream()
        .flatMap(List::stream)
        .forEach(f -> kinds.put(f, reference.feature(f).match(n -> true, c -> false)));
    rows = new TensorRows(builder.columns, kinds);
    options = builder.options;
    correction = builder.correction;
    auditSink = builder.auditSink;
    actor = builder.actor;
    clock = builder.clock;
    onDecision = builder.onDecision;
    live =
        builder.windowTime == null
            ? LiveProfile.everyRows(reference, builder.windowRows, this::decide)
            : LiveProfile.every(reference, builder.windowTime, builder.windowClock, this::decide);
  }

  /** A builder watching for drift from {@code reference}. */
  public static Builder builder(DriftProfile reference) {
    return new Builder(reference);
  }

  /**
   * Records the run's rows.
   *
   * @throws FormatException when a mapped tensor is missing, has another rank or column count than
   *     its mapping, or holds strings for a numeric feature; no row of the run is recorded then
   */
  @Override
  public void onRun(RunEvent event) {
    bind(event);
    RuntimeException failure = null;
    for (Map<String, Object> row : rows.of(event)) {
      try {
        live.add(row);
      } catch (RuntimeException e) { // a window's audit append failed: keep recording the run
        if (failure == null) {
          failure = e;
        } else if (failure != e) {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * A monitor watches one model: its windows are labelled with it, and rows of another model (a
   * second session with other bytes) would mix two distributions in one window.
   */
  private void bind(RunEvent event) {
    if (modelDigest == null) {
      synchronized (decisions) {
        if (modelDigest == null) {
          model = event.model();
          modelDigest = event.modelDigest();
        }
      }
    }
    if (!modelDigest.equals(event.modelDigest())) {
      throw new FormatException(
          "this drift monitor watches model "
              + model
              + " "
              + modelDigest
              + ", not "
              + event.model()
              + " "
              + event.modelDigest()
              + "; give each model its own monitor");
    }
  }

  /** Closes the current window now, if it holds any row (at the end of a shift, at shutdown). */
  public void flush() {
    live.flush();
  }

  /**
   * Compares a closed window, audits the decision and hands it on. The callback runs even when the
   * audit append fails (the failure is rethrown afterwards, for the session to log), so an alert is
   * not lost with the audit entry.
   */
  private void decide(LiveProfile.Window window) {
    synchronized (decisions) { // one decision at a time: callbacks never overlap
      decideLocked(window);
    }
  }

  private void decideLocked(LiveProfile.Window window) {
    DriftReport report = DriftReport.compare(reference, window.profile(), options, correction);
    Decision decision = new Decision(model, modelDigest, window, report);
    RuntimeException auditFailure = null;
    if (auditSink != null) {
      try {
        auditSink.append(auditEvent(decision));
      } catch (RuntimeException e) {
        auditFailure = e;
      }
    }
    if (onDecision != null) {
      onDecision.accept(decision);
    }
    if (auditFailure != null) {
      throw auditFailure;
    }
  }

  private AuditEvent auditEvent(Decision decision) {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("digest", decision.modelDigest());
    attributes.put("rows", Long.toString(decision.window().rows()));
    attributes.put("opened", decision.window().opened().toString());
    attributes.put("closed", decision.window().closed().toString());
    attributes.put("features", Integer.toString(decision.report().features().size()));
    attributes.put("correction", decision.report().correction().label());
    List<String> drifted = decision.driftedFeatures();
    attributes.put("driftedFeatures", Integer.toString(drifted.size()));
    if (!drifted.isEmpty()) {
      attributes.put("drifted", named(drifted));
    }
    long undecided = decision.report().undecidedFeatures();
    if (undecided > 0) {
      attributes.put("undecidedFeatures", Long.toString(undecided));
    }
    return new AuditEvent(
        clock.instant(),
        actor,
        ACTION,
        decision.model() + "@" + decision.modelDigest(),
        decision.drifted() ? "drifted" : "stable",
        attributes);
  }

  /** The names, comma-separated, at most {@link #MAX_NAMED_FEATURES} (an entry has a size cap). */
  private static String named(List<String> features) {
    if (features.size() <= MAX_NAMED_FEATURES) {
      return String.join(",", features);
    }
    return String.join(",", features.subList(0, MAX_NAMED_FEATURES))
        + ",... ("
        + (features.size() - MAX_NAMED_FEATURES)
        + " more)";
  }

  /** Builds a {@link DriftMonitor}; every argument is checked where it is given or at build. */
  public static final class Builder {
    private final DriftProfile reference;
    private final Map<String, List<String>> columns = new LinkedHashMap<>();
    private long windowRows = 1000;
    private Duration windowTime;
    private String windowSetBy;
    private Clock windowClock;
    private DriftOptions options = DriftOptions.defaults();
    private MultipleTesting.Correction correction = MultipleTesting.Correction.NONE;
    private AuditSink auditSink;
    private String actor;
    private Clock clock = Clock.systemUTC();
    private Consumer<Decision> onDecision;

    private Builder(DriftProfile reference) {
      this.reference = Objects.requireNonNull(reference, "reference");
    }

    /**
     * Maps the columns of the input or output tensor {@code tensor} to reference features, in
     * order: one name for a {@code [batch]} tensor, {@code n} for a {@code [batch, n]} one.
     */
    public Builder columns(String tensor, String... features) {
      if (features.length == 0) {
        throw new IllegalArgumentException("tensor " + tensor + " needs at least one feature name");
      }
      columns.put(Objects.requireNonNull(tensor, "tensor"), List.of(features));
      return this;
    }

    /** Windows of {@code rows} rows each (the default, 1,000 rows). */
    public Builder windowRows(long rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("a window needs at least one row, got " + rows);
      }
      windowOnce("windowRows(...)");
      this.windowRows = rows;
      return this;
    }

    /** Windows of {@code span} each by {@code windowTimeClock}, instead of a row count. */
    public Builder windowTime(Duration span, Clock windowTimeClock) {
      Objects.requireNonNull(span, "window span");
      Objects.requireNonNull(windowTimeClock, "window clock");
      if (span.isZero() || span.isNegative()) {
        throw new IllegalArgumentException("a window needs a positive span, got " + span);
      }
      windowOnce("windowTime(...)");
      this.windowTime = span;
      this.windowClock = windowTimeClock;
      return this;
    }

    private void windowOnce(String setting) {
      if (windowSetBy != null) {
        throw new IllegalStateException(
            setting + " conflicts with " + windowSetBy + " given before; give one window");
      }
      windowSetBy = setting;
    }

    /** Methods and thresholds per feature (default {@link DriftOptions#defaults()}). */
    public Builder options(DriftOptions driftOptions) {
      this.options = Objects.requireNonNull(driftOptions, "options");
      return this;
    }

    /** Multiple-testing correction over the features (default none). */
    public Builder correction(MultipleTesting.Correction multipleTesting) {
      this.correction = Objects.requireNonNull(multipleTesting, "correction");
      return this;
    }

    /** Records every window's decision ({@value #ACTION}) in {@code sink} as {@code actorName}. */
    public Builder auditSink(AuditSink sink, String actorName) {
      this.auditSink = Objects.requireNonNull(sink, "sink");
      this.actor = Objects.requireNonNull(actorName, "actor");
      return this;
    }

    /** The clock of audit timestamps (default the system's UTC clock). */
    public Builder clock(Clock auditClock) {
      this.clock = Objects.requireNonNull(auditClock, "clock");
      return this;
    }

    /** Called with every window's decision, after it is audited. */
    public Builder onDecision(Consumer<Decision> callback) {
      this.onDecision = Objects.requireNonNull(callback, "callback");
      return this;
    }

    /**
     * The monitor.
     *
     * @throws IllegalArgumentException listing every mapped feature the reference lacks and every
     *     reference feature no column maps
     */
    public DriftMonitor build() {
      List<String> problems = new ArrayList<>();
      List<String> mapped = columns.values().stream().flatMap(List::stream).toList();
      for (String feature : mapped) {
        if (!reference.has(feature)) {
          problems.add("feature " + feature + " is not in the reference profile");
        }
      }
      if (mapped.stream().distinct().count() != mapped.size()) {
        problems.add("a feature is mapped twice: " + mapped);
      }
      for (String feature : reference.names()) {
        if (!mapped.contains(feature)) {
          problems.add("reference feature " + feature + " is mapped from no tensor");
        }
      }
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(
            "drift monitor columns do not match the reference: " + String.join("; ", problems));
      }
      return new DriftMonitor(this);
    }
  }
}
