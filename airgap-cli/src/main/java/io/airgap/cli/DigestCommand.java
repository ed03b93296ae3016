package io.airgap.cli;

import io.airgap.core.manifest.Manifest;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap digest}: prints a model's OMS root digest. */
@Command(
    name = "digest",
    description = "Print the model's root digest (sha256:...), as a signature would record it.")
final class DigestCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL_PATH", description = "Model directory or file.")
  Path model;

  @Mixin HashingOptions hashing;

  @Override
  public Integer call() {
    java.util.List<String> ignored = new java.util.ArrayList<>(hashing.ignoredNames(model));
    if (java.nio.file.Files.isDirectory(model)) {
      // The signature file is never part of what it signs.
      ignored.add(Options.DEFAULT_SIGNATURE_NAME);
    }
    Manifest manifest = hashing.hasher(spec).hash(model, ignored);
    spec.commandLine().getOut().println("sha256:" + manifest.rootDigest().hex());
    return ExitCodes.OK;
  }
}
