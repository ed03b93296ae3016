package io.airgap.drift;

import io.airgap.drift.FeatureDrift.ThresholdSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How features are compared: Evidently's default method and threshold per feature unless a rule
 * says otherwise, and how empty buckets are smoothed. Immutable and thread-safe.
 */
public final class DriftOptions {
  private static final DriftOptions DEFAULTS = builder().build();

  private final DriftDetector.Smoothing smoothing;
  private final Map<String, Rule> rules;

  private DriftOptions(Builder builder) {
    this.smoothing = builder.smoothing;
    this.rules = Map.copyOf(builder.rules);
  }

  /**
   * What overrides the default for one feature.
   *
   * @param method the method, or {@code null} for the default choice
   * @param threshold the threshold, or NaN for the method's default
   * @param source where the threshold came from
   */
  public record Rule(DriftMethod method, double threshold, ThresholdSource source) {}

  /** Evidently's defaults with {@link DriftDetector.Smoothing#LAPLACE} smoothing. */
  public static DriftOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** How empty buckets are smoothed before a distance. */
  public DriftDetector.Smoothing smoothing() {
    return smoothing;
  }

  /** The features that have a rule. */
  public java.util.Set<String> ruleFeatures() {
    return rules.keySet();
  }

  /** The rule for a feature, if any. */
  public Optional<Rule> rule(String feature) {
    return Optional.ofNullable(rules.get(feature));
  }

  /** Builds {@link DriftOptions}. */
  public static final class Builder {
    private DriftDetector.Smoothing smoothing = DriftDetector.Smoothing.LAPLACE;
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final java.util.Set<String> methodGiven = new java.util.HashSet<>();

    private Builder() {}

    /** Sets the smoothing of empty buckets. */
    public Builder smoothing(DriftDetector.Smoothing value) {
      this.smoothing = Objects.requireNonNull(value, "smoothing");
      return this;
    }

    /** Compares {@code feature} with {@code method} instead of the default choice. */
    public Builder method(String feature, DriftMethod method) {
      Objects.requireNonNull(feature, "feature");
      Objects.requireNonNull(method, "method of feature " + feature);
      if (!methodGiven.add(feature)) {
        throw new IllegalStateException(
            "method of feature " + feature + " is already given; give it once");
      }
      Rule old = rules.get(feature);
      // A calibrated threshold belongs to the calibrated method: another method starts from its
      // own default; a threshold given here stays whatever the method.
      boolean keepThreshold =
          old != null && (old.source() != ThresholdSource.CALIBRATED || old.method() == method);
      rules.put(
          feature,
          keepThreshold
              ? new Rule(method, old.threshold(), old.source())
              : new Rule(method, Double.NaN, ThresholdSource.DEFAULT));
      return this;
    }

    /**
     * Sets the threshold of {@code feature}: a p-value in (0, 1) for a test, a distance above 0 for
     * a distance.
     *
     * @throws IllegalArgumentException when the threshold is not a positive finite number
     */
    public Builder threshold(String feature, double threshold) {
      return threshold(feature, threshold, ThresholdSource.CONFIGURED);
    }

    /**
     * Applies calibrated thresholds: each feature gets the calibrated method and threshold, unless
     * a rule already set for it here names another method.
     */
    public Builder calibrated(DriftCalibration calibration) {
      for (DriftCalibration.Threshold t : calibration.thresholds()) {
        Rule old = rules.get(t.feature());
        if (old == null || old.method() == null || old.method() == t.method()) {
          rules.put(t.feature(), new Rule(t.method(), t.threshold(), ThresholdSource.CALIBRATED));
        }
      }
      return this;
    }

    private Builder threshold(String feature, double threshold, ThresholdSource source) {
      if (!(threshold > 0) || Double.isInfinite(threshold)) {
        throw new IllegalArgumentException(
            "threshold of feature " + feature + " must be a positive number, not " + threshold);
      }
      Rule old = rules.get(feature);
      rules.put(feature, new Rule(old == null ? null : old.method(), threshold, source));
      return this;
    }

    /** The options. */
    public DriftOptions build() {
      return new DriftOptions(this);
    }
  }
}
