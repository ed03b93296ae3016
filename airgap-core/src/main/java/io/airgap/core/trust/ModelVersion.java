package io.airgap.core.trust;

import io.airgap.core.FormatException;
import java.util.Arrays;

/**
 * A model version as dotted decimal numbers ({@code 7}, {@code 1.4.2}, {@code 2026.11.3}), compared
 * number by number, a missing number counting as 0, so {@code 1.10 > 1.9} and {@code 1.0 == 1}.
 * Immutable.
 */
public final class ModelVersion implements Comparable<ModelVersion> {
  private final String text;
  private final long[] parts;

  private ModelVersion(String text, long[] parts) {
    this.text = text;
    this.parts = parts;
  }

  /**
   * Parses a version.
   *
   * @throws FormatException when it is not dotted decimal numbers
   */
  public static ModelVersion parse(String text) {
    if (text == null || !text.matches("[0-9]{1,18}(\\.[0-9]{1,18}){0,15}")) {
      throw new FormatException(
          "model version '" + text + "' must be dotted decimal numbers such as 7 or 1.4.2");
    }
    return new ModelVersion(
        text, Arrays.stream(text.split("\\.")).mapToLong(Long::parseLong).toArray());
  }

  @Override
  public int compareTo(ModelVersion other) {
    int length = Math.max(parts.length, other.parts.length);
    for (int i = 0; i < length; i++) {
      long a = i < parts.length ? parts[i] : 0;
      long b = i < other.parts.length ? other.parts[i] : 0;
      if (a != b) {
        return Long.compare(a, b);
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ModelVersion version && compareTo(version) == 0;
  }

  @Override
  public int hashCode() {
    int end = parts.length;
    while (end > 0 && parts[end - 1] == 0) {
      end--;
    }
    return Arrays.hashCode(Arrays.copyOf(parts, end));
  }

  /** The version as written. */
  @Override
  public String toString() {
    return text;
  }
}
