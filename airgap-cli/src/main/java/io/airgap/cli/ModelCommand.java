package io.airgap.cli;

import io.airgap.inference.ModelDescription;
import io.airgap.inference.TensorSpec;
import io.airgap.inference.VerifiedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap model}: look at a signed model. */
@Command(
    name = "model",
    description = "Look at a signed model.",
    subcommands = {ModelCommand.Inspect.class})
final class ModelCommand {
  private ModelCommand() {}

  /** {@code airgap model inspect}. */
  @Command(
      name = "inspect",
      description =
          "Verify a model, then print its inputs, outputs, metadata and digest (an unsigned model"
              + " is never loaded, not even to be inspected).")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory.")
    Path model;

    @Mixin ModelSourceOptions source;

    @Override
    public Integer call() {
      try (VerifiedModel verified = source.load(spec, model)) {
        ModelDescription description = ModelDescription.of(verified);
        PrintWriter out = spec.commandLine().getOut();
        out.println("model:    " + verified.name());
        out.println("digest:   " + verified.digest());
        out.println("signer:   " + verified.report().signer());
        out.println("file:     " + verified.modelFileName());
        for (TensorSpec input : description.inputs()) {
          out.println("input:    " + input);
        }
        for (TensorSpec output : description.outputs()) {
          out.println("output:   " + output);
        }
        for (Map.Entry<String, String> entry : description.metadata().entrySet()) {
          if (!entry.getValue().isEmpty()) {
            out.println("metadata: " + entry.getKey() + " = " + entry.getValue());
          }
        }
      }
      return ExitCodes.OK;
    }
  }
}
