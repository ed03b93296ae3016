package io.airgap.cli;

import io.airgap.core.FormatException;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.manifest.SerializationMethod;
import io.airgap.core.signing.KeyType;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Conversions shared by the commands: names to enums, the default signature file. */
final class Options {
  /** The signature file name {@code model_signing} uses. */
  static final String DEFAULT_SIGNATURE_NAME = "model.sig";

  private Options() {}

  static KeyType keyType(CommandSpec spec, String name) {
    try {
      return KeyType.fromCliName(name);
    } catch (FormatException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static HashAlgorithm hash(CommandSpec spec, String name) {
    try {
      return HashAlgorithm.fromOmsName(name);
    } catch (FormatException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static SerializationMethod method(CommandSpec spec, String name) {
    try {
      return SerializationMethod.fromOmsName(name);
    } catch (FormatException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The signature file: the one given, else {@code model.sig} inside a model directory or beside a
   * single-file model.
   */
  static Path signatureFile(Path model, Path given) {
    if (given != null) {
      return given;
    }
    return Files.isDirectory(model)
        ? model.resolve(DEFAULT_SIGNATURE_NAME)
        : model.toAbsolutePath().resolveSibling(DEFAULT_SIGNATURE_NAME);
  }
}
