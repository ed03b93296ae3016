package io.airgap.core.trust;

import java.util.List;
import java.util.Objects;

/**
 * Which keys may sign which models: model-name patterns (an exact name, or {@code prefix/*} for
 * every name under {@code prefix/}) and the keys and threshold that must sign them.
 *
 * @param name the role's name, for reports
 * @param patterns the model names or prefixes it covers
 * @param signers the keys and threshold
 */
public record Role(String name, List<String> patterns, KeyThreshold signers) {
  /** Checks the patterns. */
  public Role {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(signers, "signers");
    patterns = List.copyOf(patterns);
    if (patterns.isEmpty()) {
      throw new IllegalArgumentException("role " + name + " covers no model name");
    }
    for (String pattern : patterns) {
      String problem = patternProblem(pattern);
      if (problem != null) {
        throw new IllegalArgumentException(
            "role " + name + ": pattern '" + pattern + "' " + problem);
      }
    }
  }

  /** How specific this role's best match for {@code modelName} is: -1 none, higher is closer. */
  int matchLength(String modelName) {
    int best = -1;
    for (String pattern : patterns) {
      if (pattern.equals(modelName)) {
        return Integer.MAX_VALUE;
      }
      if (pattern.endsWith("/*")) {
        String prefix = pattern.substring(0, pattern.length() - 1);
        if (modelName.startsWith(prefix) && modelName.length() > prefix.length()) {
          best = Math.max(best, prefix.length());
        }
      }
    }
    return best;
  }

  private static String patternProblem(String pattern) {
    if (pattern.isEmpty()) {
      return "is empty";
    }
    int star = pattern.indexOf('*');
    if (star >= 0
        && (star != pattern.length() - 1 || !pattern.endsWith("/*") || pattern.length() < 3)) {
      return "may use '*' only as a final '/*' after a prefix";
    }
    return null;
  }
}
