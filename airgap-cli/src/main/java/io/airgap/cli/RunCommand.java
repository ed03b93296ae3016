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

  /** The longest output file name written, well within every file system's limit. */
  private static final int MAX_FILE_NAME = 200;

  /**
   * The file an output is written to: {@code NAME.npy}, where every character of the name but
   * letters, digits, {@code _}, {@code -} and a {@code .} not leading is written as {@code %XX}
   * (its UTF-8 bytes). Output names come from the model, so {@code ../x}, {@code /etc/x} or {@code
   * Identity:0} must never become a path of their own; the encoding is one-to-one, so two outputs
   * never share a file (outputs that differ only in case are refused by the caller). A name that is
   * a device on Windows ({@code CON}, {@code NUL}, {@code COM1}...) has its first letter encoded.
   *
   * @throws io.airgap.core.InputException when the encoded name is too long for a file name
   */
  static String fileName(String output, String model) {
    StringBuilder name = new StringBuilder();
    byte[] bytes = output.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain =
          (b >= 'a' && b <= 'z')
              || (b >= 'A' && b <= 'Z')
              || (b >= '0' && b <= '9')
              || b == '_'
              || b == '-'
              || (b == '.' && i > 0);
      if (plain) {
        name.append((char) b);
      } else {
        name.append('%').append(String.format(java.util.Locale.ROOT, "%02X", b));
      }
    }
    if (io.airgap.core.manifest.ResourceNames.isWindowsDevice(name.toString())) {
      name.replace(0, 1, String.format(java.util.Locale.ROOT, "%%%02X", (int) name.charAt(0)));
    }
    name.append(".npy");
    if (name.length() > MAX_FILE_NAME) {
      throw new io.airgap.core.InputException(
          "output '"
              + output
              + "' of model "
              + model
              + " makes a file name of "
              + name.length()
              + " characters, above "
              + MAX_FILE_NAME);
    }
    return name.toString();
  }
}
