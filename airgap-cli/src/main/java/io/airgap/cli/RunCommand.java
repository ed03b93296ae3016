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
    description =
        "Verify a model and run it on .npy inputs; outputs are written as NAME.npy (characters"
            + " other than letters, digits, _, - and . as %%XX).")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MODEL", description = "Model directory.")
  Path model;

  @Mixin ModelSourceOptions source;

  @Option(
      names = "--input",
      required = true,
      description = "NAME=FILE.npy, one per model input (repeatable).")
  java.util.List<String> inputs = new java.util.ArrayList<>();

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
    for (Map.Entry<String, Path> input : inputFiles().entrySet()) {
      given.put(input.getKey(), Npy.read(input.getValue()));
    }
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
      Map<String, Path> files = new LinkedHashMap<>();
      Map<String, String> folded = new java.util.HashMap<>();
      for (String name : outputs.keySet()) {
        String file = fileName(name, verified.name());
        // Case-insensitive file systems (macOS, Windows) would write both into one file.
        String other = folded.putIfAbsent(file.toLowerCase(java.util.Locale.ROOT), name);
        if (other != null) {
          throw new io.airgap.core.InputException(
              "outputs '"
                  + other
                  + "' and '"
                  + name
                  + "' of model "
                  + verified.name()
                  + " differ only in case; their files would be one on a case-insensitive file"
                  + " system");
        }
        files.put(name, out.resolve(file));
      }
      Files.createDirectories(out);
      for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
        Path file = files.get(output.getKey());
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

  /** The {@code --input} values by name; a name given twice is a usage error, not a last-wins. */
  private Map<String, Path> inputFiles() {
    Map<String, Path> files = new LinkedHashMap<>();
    for (String input : inputs) {
      int equals = input.indexOf('=');
      if (equals <= 0) {
        throw new ParameterException(
            spec.commandLine(), "--input must be NAME=FILE.npy, not '" + input + "'");
      }
      String name = input.substring(0, equals);
      if (files.put(name, Path.of(input.substring(equals + 1))) != null) {
        throw new ParameterException(spec.commandLine(), "--input " + name + " is given twice");
      }
    }
    return files;
  }

  /**
   * The file an output is written to: {@link Npy#fileName}, refused when too long with a message
   * naming the model.
   */
  static String fileName(String output, String model) {
    try {
      return Npy.fileName(output);
    } catch (io.airgap.core.InputException e) {
      throw new io.airgap.core.InputException(e.getMessage() + " (model " + model + ")", e);
    }
  }
}
