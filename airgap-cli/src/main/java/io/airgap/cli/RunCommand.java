package io.airgap.cli;

import io.airgap.inference.DevicePolicy;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.Npy;
import io.airgap.inference.Tensor;
import io.airgap.inference.VerifiedModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap run}: verify a model, run it once on .npy inputs, write .npy outputs. */
@Command(
    name = "run",
    description = "Verify a model and run it on .npy inputs; outputs are written as NAME.npy.")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory.")
  Path model;

  @Mixin ModelSourceOptions source;

  @Option(
      names = "--input",
      required = true,
      description = "NAME=FILE.npy, one per model input (repeatable).")
  Map<String, Path> inputs = new LinkedHashMap<>();

  @Option(
      names = "--device",
      defaultValue = "cpu",
      description =
          "cpu (default), gpu (CUDA required, no CPU fallback) or auto (GPU if it starts).")
  String device;

  @Option(names = "--out", description = "Directory for the outputs (default: the current one).")
  Path out = Path.of(".");

  @Override
  public Integer call() throws IOException {
    DevicePolicy policy =
        switch (device) {
          case "cpu" -> DevicePolicy.cpu();
          case "gpu" -> DevicePolicy.requireGpu();
          case "auto" -> DevicePolicy.preferGpu();
          default ->
              throw new ParameterException(
                  spec.commandLine(), "--device must be cpu, gpu or auto, not " + device);
        };
    Map<String, Tensor> given = new LinkedHashMap<>();
    inputs.forEach((name, file) -> given.put(name, Npy.read(file)));
    PrintWriter err = spec.commandLine().getErr();
    try (VerifiedModel verified = source.load(spec, model);
        InferenceSession session = InferenceSession.builder(verified).device(policy).open()) {
      err.println(
          "model "
              + verified.name()
              + " "
              + verified.digest()
              + " verified, running on "
              + session.provider()
              + session.fallbackReason().map(r -> " (GPU not used: " + r + ")").orElse(""));
      Map<String, Tensor> outputs = session.run(given);
      Files.createDirectories(out);
      for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
        Path file = out.resolve(output.getKey() + ".npy");
        Npy.write(file, output.getValue());
        err.println(
            "output "
                + output.getKey()
                + " "
                + output.getValue().type().onnxName()
                + " "
                + Arrays.toString(output.getValue().shape())
                + " -> "
                + file);
      }
    }
    return ExitCodes.OK;
  }
}
