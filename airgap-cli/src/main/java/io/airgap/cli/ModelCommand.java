package io.airgap.cli;

import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.inference.ModelDescription;
import io.airgap.inference.TensorSpec;
import io.airgap.inference.VerifiedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap model}: look at a signed model. */
@Command(
    name = "model",
    description = "Look at a signed model.",
    subcommands = {ModelCommand.Inspect.class})
final class ModelCommand {
  private ModelCommand() {}

  /** Verifies a model with a public key into a private snapshot. */
  static VerifiedModel load(Path model, Path signature, Path publicKey, String modelFile) {
    VerifiedModel.Builder builder =
        VerifiedModel.builder(model)
            .verifier(ModelVerifier.builder().publicKey(Pem.readPublicKey(publicKey)).build());
    if (signature != null) {
      builder.signature(signature);
    }
    if (modelFile != null) {
      builder.modelFile(modelFile);
    }
    return builder.load();
  }

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

    @Option(names = "--public-key", required = true, description = "The signer's public key (PEM).")
    Path publicKey;

    @Option(names = "--signature", description = "Signature file (default MODEL/model.sig).")
    Path signature;

    @Option(names = "--model-file", description = "The .onnx file (default: the only one).")
    String modelFile;

    @Override
    public Integer call() {
      try (VerifiedModel verified = load(model, signature, publicKey, modelFile)) {
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
