package io.airgap.deps;

import io.airgap.core.FormatException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an artifact is for, which decides where it is staged on import. */
public enum ArtifactKind {
  /** A model directory (ONNX files, external data, golden files) with its OMS signature. */
  MODEL,
  /** A tokenizer's files. */
  TOKENIZER,
  /** ONNX Runtime's native libraries for chosen platforms. */
  NATIVE_LIBRARIES,
  /** A Maven artifact (a jar, a pom). */
  MAVEN,
  /** Any other file. */
  FILE;

  /** The lockfile's name, for example {@code native-libraries}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * The kind with that label.
   *
   * @throws FormatException naming {@code where} and the known labels
   */
  static ArtifactKind fromLabel(String label, String where) {
    for (ArtifactKind kind : values()) {
      if (kind.label().equals(label)) {
        return kind;
      }
    }
    throw new FormatException(
        where
            + ": unknown kind '"
            + label
            + "'; known: "
            + Arrays.stream(values()).map(ArtifactKind::label).collect(Collectors.joining(", ")));
  }
}
