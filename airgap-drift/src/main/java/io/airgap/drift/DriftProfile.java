package io.airgap.drift;

import io.airgap.core.FormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A dataset's profile: one {@link FeatureProfile} per column, in column order. {@link #builder()}
 * freezes bins and dictionaries from reference data; {@link #newLive()} gives an empty profile with
 * the same frozen bins for live data, and profiles with the same frozen bins merge by addition. Not
 * thread-safe.
 */
public final class DriftProfile {
  /** Default inner bins per numeric feature. */
  public static final int DEFAULT_BINS = 10;

  /** Default largest dictionary of a categorical feature; rarer categories go to "other". */
  public static final int DEFAULT_MAX_CATEGORIES = 1_000;

  private final Map<String, FeatureProfile> features;

  private DriftProfile(Map<String, FeatureProfile> features) {
    this.features = features;
  }

  /**
   * A builder of a reference profile, starting from {@link #DEFAULT_BINS} bins, {@link
   * NumericFeature#DEFAULT_EXACT_LIMIT} exact values and {@link #DEFAULT_MAX_CATEGORIES}
   * categories.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A profile of the given features, for example as {@link ProfileCodec#parse} read them.
   *
   * @throws FormatException when a feature name repeats
   */
  public static DriftProfile of(List<? extends FeatureProfile> features) {
    Map<String, FeatureProfile> byName = new LinkedHashMap<>();
    for (FeatureProfile feature : features) {
      if (byName.put(feature.name(), feature) != null) {
        throw new FormatException("feature " + feature.name() + " appears twice in the profile");
      }
    }
    return new DriftProfile(byName);
  }

  /** An empty profile with the same frozen bins and dictionaries, for live data. */
  public DriftProfile newLive() {
    Map<String, FeatureProfile> live = new LinkedHashMap<>();
    features.forEach((name, feature) -> live.put(name, feature.newLive()));
    return new DriftProfile(live);
  }

  /**
   * Adds another profile with the same features and frozen bins.
   *
   * @throws FormatException naming the first feature that differs; nothing is merged then
   */
  public void merge(DriftProfile other) {
    if (!features.keySet().equals(other.features.keySet())) {
      throw new FormatException(
          "cannot merge profiles of features "
              + other.features.keySet()
              + " into "
              + features.keySet());
    }
    features.forEach(
        (name, feature) -> {
          if (!feature.hasSameBuckets(other.features.get(name))) {
            throw new FormatException(
                "cannot merge profiles: feature " + name + " has other frozen bins or categories");
          }
        });
    features.forEach((name, feature) -> feature.merge(other.features.get(name)));
  }

  /** The feature profiles in column order. */
  public List<FeatureProfile> features() {
    return Collections.unmodifiableList(new ArrayList<>(features.values()));
  }

  /** The feature names, in the profile's order. */
  public List<String> names() {
    return List.copyOf(features.keySet());
  }

  /** Whether the profile has a feature of that name. */
  public boolean has(String name) {
    return features.containsKey(name);
  }

  /**
   * One feature's profile.
   *
   * @throws FormatException when the profile has no feature of that name
   */
  public FeatureProfile feature(String name) {
    FeatureProfile feature = features.get(name);
    if (feature == null) {
      throw new FormatException("the profile has no feature " + name);
    }
    return feature;
  }

  /**
   * One numeric feature's profile.
   *
   * @throws FormatException when the profile has no feature of that name, or it is categorical
   */
  public NumericFeature numeric(String name) {
    return feature(name)
        .match(
            n -> n,
            c -> {
              throw new FormatException("feature " + name + " is categorical, not numeric");
            });
  }

  /**
   * One categorical feature's profile.
   *
   * @throws FormatException when the profile has no feature of that name, or it is numeric
   */
  public CategoricalFeature categorical(String name) {
    return feature(name)
        .match(
            n -> {
              throw new FormatException("feature " + name + " is numeric, not categorical");
            },
            c -> c);
  }

  /**
   * How a reference is profiled.
   *
   * @param bins inner bins per numeric feature
   * @param exactLimit finite values a numeric feature keeps exactly (for exact small-sample tests)
   * @param maxCategories largest dictionary of a categorical feature
   */
  record Settings(int bins, int exactLimit, int maxCategories) {}

  /**
   * Builds a reference profile: settings first (each checked where it is given), then either
   * columns added one by one and {@link #build()}, or one of the two-pass sources {@link
   * #buildFromRows} and {@link #buildFromCsv}. Not thread-safe; one builder makes one profile at a
   * time.
   */
  public static final class Builder {
    private int bins = DEFAULT_BINS;
    private int exactLimit = NumericFeature.DEFAULT_EXACT_LIMIT;
    private int maxCategories = DEFAULT_MAX_CATEGORIES;
    private final Map<String, double[]> numeric = new LinkedHashMap<>();
    private final Map<String, String[]> categorical = new LinkedHashMap<>();
    private final List<String> order = new ArrayList<>();

    private Builder() {}

    /**
     * Inner bins per numeric feature, edges at the reference quantiles (default {@value
     * DriftProfile#DEFAULT_BINS}); repeated edges merge, so a feature may get fewer.
     *
     * @throws IllegalArgumentException when {@code count} is below 1
     */
    public Builder bins(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("bins must be at least 1, got " + count);
      }
      this.bins = count;
      return this;
    }

    /**
     * Finite values a numeric feature keeps exactly, so that tests on samples up to this size are
     * exact and bin edges are exact quantiles (default {@value
     * NumericFeature#DEFAULT_EXACT_LIMIT}); past it only the KLL sketch remains.
     *
     * @throws IllegalArgumentException when {@code values} is negative
     */
    public Builder exactLimit(int values) {
      if (values < 0) {
        throw new IllegalArgumentException("exactLimit must be at least 0, got " + values);
      }
      this.exactLimit = values;
      return this;
    }

    /**
     * The largest dictionary of a categorical feature: its most frequent categories, ties broken by
     * name (default {@value DriftProfile#DEFAULT_MAX_CATEGORIES}); rarer ones count as "other".
     *
     * @throws IllegalArgumentException when {@code categories} is below 1
     */
    public Builder maxCategories(int categories) {
      if (categories < 1) {
        throw new IllegalArgumentException("maxCategories must be at least 1, got " + categories);
      }
      this.maxCategories = categories;
      return this;
    }

    /**
     * Adds a numeric column: NaN and infinities are counted, not binned. The array is read at
     * {@link #build()} and must not change before.
     *
     * @throws NullPointerException naming the column when the name or the values are null
     * @throws IllegalArgumentException when a column of that name was added before
     */
    public Builder numeric(String name, double[] values) {
      numeric.put(checkNew(name, "numeric"), Objects.requireNonNull(values, "values of " + name));
      order.add(name);
      return this;
    }

    /**
     * Adds a categorical column; a {@code null} entry is missing. The array is read at {@link
     * #build()} and must not change before.
     *
     * @throws NullPointerException naming the column when the name or the values are null
     * @throws IllegalArgumentException when a column of that name was added before
     */
    public Builder categorical(String name, String[] values) {
      categorical.put(
          checkNew(name, "categorical"), Objects.requireNonNull(values, "values of " + name));
      order.add(name);
      return this;
    }

    private String checkNew(String name, String kind) {
      Objects.requireNonNull(name, kind + " column name");
      if (numeric.containsKey(name) || categorical.containsKey(name)) {
        throw new IllegalArgumentException("column " + name + " is added twice");
      }
      return name;
    }

    /**
     * Profiles the added columns, in the order added: for each numeric column edges at its
     * quantiles, for each categorical column its most frequent categories.
     *
     * @throws FormatException when a numeric column has no finite value
     */
    public DriftProfile build() {
      return new DriftProfile(
          ReferenceProfiles.fromColumns(numeric, categorical, order, settings()));
    }

    /**
     * Profiles reference rows in two passes over {@code rows} (so the data need not fit in memory):
     * the first freezes bins and dictionaries, the second counts. A row maps column names to a
     * {@link Number} for a numeric column, a {@link String} for a categorical one, and null or
     * nothing for a missing entry; other keys are ignored. Features come numeric columns first.
     *
     * @param rows iterated twice; both passes must see the same rows
     * @throws IllegalStateException when columns were added to this builder
     * @throws FormatException naming the row and column of a value of the wrong kind, a column
     *     named twice, or a numeric column without a finite value
     */
    public DriftProfile buildFromRows(
        Iterable<? extends Map<String, ?>> rows,
        List<String> numericColumns,
        List<String> categoricalColumns) {
      requireNoColumns("rows");
      return new DriftProfile(
          ReferenceProfiles.fromRows(
              Objects.requireNonNull(rows, "rows"),
              List.copyOf(numericColumns),
              List.copyOf(categoricalColumns),
              settings()));
    }

    /**
     * Profiles the given columns of a CSV file with a header row ({@link CsvProfiles}).
     *
     * @param columns the columns to profile, or empty for all
     * @param categoricalColumns the columns to treat as categorical; every other one is numeric
     * @throws IllegalStateException when columns were added to this builder
     * @throws FormatException naming the file and line of a ragged row, an empty file, or a column
     *     that does not exist
     * @throws io.airgap.core.InputException when the file cannot be read
     */
    public DriftProfile buildFromCsv(
        Path csv, List<String> columns, Set<String> categoricalColumns) {
      requireNoColumns("a CSV file");
      return of(
          CsvProfiles.reference(
              Objects.requireNonNull(csv, "csv"),
              List.copyOf(columns),
              Set.copyOf(categoricalColumns),
              settings()));
    }

    private void requireNoColumns(String source) {
      if (!order.isEmpty()) {
        throw new IllegalStateException(
            "columns " + order + " were added; profile them with build(), not from " + source);
      }
    }

    private Settings settings() {
      return new Settings(bins, exactLimit, maxCategories);
    }
  }
}
