package io.airgap.cli;

import io.airgap.core.manifest.ModelHasher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --ignore-paths}, shared by {@code sign}, {@code verify} and {@code digest}. */
final class IgnorePathsOption {
  @Option(
      names = "--ignore-paths",
      arity = "1",
      description = "A file or directory to leave out (a filesystem path; repeat the flag).")
  List<Path> paths = new ArrayList<>();

  /**
   * The model-relative names of the given paths (absolute or relative to the working directory, as
   * {@code model_signing} takes them); paths outside the model are dropped because they cannot
   * match anything inside it.
   */
  List<String> ignoredNames(Path model) {
    return ModelHasher.relativeNames(model, paths);
  }
}
