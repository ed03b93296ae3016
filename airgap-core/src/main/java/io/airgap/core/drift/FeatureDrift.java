package io.airgap.core.drift;

/**
 * The drift decision for one feature.
 *
 * @param feature the feature's name
 * @param method the test or distance used, for example {@code ks}, {@code wasserstein_normed}
 * @param statistic the test statistic or distance
 * @param pvalue the p-value, or NaN for a distance
 * @param threshold the p-value below which, or the distance from which, the feature drifted
 * @param drifted whether it drifted
 * @param referenceCount values compared on the reference side
 * @param currentCount values compared on the current side
 * @param exact whether the statistic was computed from the values themselves (false: from sketches)
 */
public record FeatureDrift(
    String feature,
    String method,
    double statistic,
    double pvalue,
    double threshold,
    boolean drifted,
    long referenceCount,
    long currentCount,
    boolean exact) {}
