package io.airgap.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.airgap.inference.internal.OnnxGraph;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What {@code airgap doctor} reports about inference on this host: where ONNX Runtime's native
 * libraries come from and whether that directory is usable, the runtime's version, the providers
 * compiled in and those that really start (a one-node model is loaded on each), and the NVIDIA
 * driver and CUDA libraries found. Nothing here reaches the network. Stateless.
 */
public final class RuntimeDiagnostics {
  private static final List<String> GPU_LIBRARIES =
      List.of(
          "libcudart.so",
          "libcublas.so",
          "libcublasLt.so",
          "libcudnn.so",
          "libcufft.so",
          "libnvinfer.so");

  private RuntimeDiagnostics() {}

  /**
   * One finding.
   *
   * @param name what was checked
   * @param ok whether it is usable
   * @param detail what was found, or what to do
   */
  public record Check(String name, boolean ok, String detail) {}

  /** Runs every check; starting ONNX Runtime is one of them, so this may load native code. */
  public static List<Check> run() {
    List<Check> checks = new ArrayList<>();
    checks.add(new Check("platform", true, NativeRuntime.platform()));
    checks.add(nativeDirectory());
    OrtEnvironment env;
    try {
      env = NativeRuntime.environment();
    } catch (InferenceException e) {
      checks.add(new Check("ONNX Runtime", false, e.getMessage()));
      return checks;
    }
    checks.add(new Check("ONNX Runtime", true, env.getVersion() + ", telemetry off"));
    EnumSet<OrtProvider> compiled = OrtEnvironment.getAvailableProviders();
    checks.add(new Check("providers compiled in", true, compiled.toString()));
    checks.add(probe(env, "CPU provider starts", false));
    if (compiled.contains(OrtProvider.CUDA)) {
      checks.add(probe(env, "CUDA provider starts", true));
    } else {
      checks.add(
          new Check(
              "CUDA provider starts",
              false,
              "not in this build; use the onnxruntime_gpu artifact (Maven profile gpu) for CUDA"));
    }
    checks.add(driver());
    checks.add(gpuLibraries());
    return checks;
  }

  private static Check nativeDirectory() {
    String nativePath = System.getProperty(NativeRuntime.NATIVE_PATH);
    if (nativePath != null) {
      List<String> problems =
          new java.util.ArrayList<>(NativeRuntime.checkNativeDirectory(Path.of(nativePath)));
      Path temp = Path.of(System.getProperty("java.io.tmpdir"));
      NativeRuntime.checkWritable(temp)
          .forEach(
              p ->
                  problems.add(
                      "java.io.tmpdir " + temp + " " + p + " (ONNX Runtime writes there)"));
      return new Check(
          "native libraries (" + NativeRuntime.NATIVE_PATH + ")",
          problems.isEmpty(),
          problems.isEmpty() ? nativePath : String.join("; ", problems));
    }
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    List<String> problems = NativeRuntime.checkTemporaryDirectory(temp);
    return new Check(
        "native libraries unpacked into java.io.tmpdir",
        problems.isEmpty(),
        problems.isEmpty()
            ? temp + " is writable and allows execution"
            : temp
                + " "
                + String.join(" and ", problems)
                + "; set -Djava.io.tmpdir or -D"
                + NativeRuntime.NATIVE_PATH);
  }

  /** Loads a one-node model on the CPU, or on CUDA with no CPU fallback. */
  private static Check probe(OrtEnvironment env, String name, boolean cuda) {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      if (cuda) {
        options.addConfigEntry("session.disable_cpu_ep_fallback", "1");
        options.addCUDA(0);
      }
      try (OrtSession session = env.createSession(OnnxGraph.identity(), options)) {
        return new Check(name, true, "a model loaded" + (cuda ? " on CUDA device 0" : ""));
      }
    } catch (OrtException | RuntimeException e) {
      return new Check(name, false, String.valueOf(e.getMessage()));
    }
  }

  private static Check driver() {
    Path version = Path.of("/proc/driver/nvidia/version");
    if (!Files.isReadable(version)) {
      return new Check("NVIDIA driver", false, "none found (" + version + " is absent)");
    }
    try {
      String first = Files.readAllLines(version).stream().findFirst().orElse("").trim();
      return new Check("NVIDIA driver", true, first);
    } catch (IOException e) {
      return new Check("NVIDIA driver", false, "cannot read " + version + ": " + e.getMessage());
    }
  }

  /** Looks for the CUDA, cuDNN and TensorRT libraries where the dynamic loader would. */
  private static Check gpuLibraries() {
    Set<Path> directories = new LinkedHashSet<>();
    String ldPath = System.getenv("LD_LIBRARY_PATH");
    if (ldPath != null) {
      for (String dir : ldPath.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          directories.add(Path.of(dir));
        }
      }
    }
    for (String dir :
        List.of(
            "/usr/local/cuda/lib64",
            "/usr/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu",
            "/usr/lib64",
            "/usr/lib")) {
      directories.add(Path.of(dir));
    }
    List<String> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String library : GPU_LIBRARIES) {
      String where = find(directories, library);
      if (where != null) {
        found.add(where);
      } else {
        missing.add(library);
      }
    }
    String detail =
        (found.isEmpty() ? "none found" : "found " + found)
            + (missing.isEmpty() ? "" : "; missing " + missing)
            + " (searched LD_LIBRARY_PATH and the usual directories)";
    return new Check("CUDA libraries", missing.size() <= 1 && !found.isEmpty(), detail);
  }

  private static String find(Set<Path> directories, String library) {
    for (Path dir : directories) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        String hit =
            files
                .map(f -> f.getFileName().toString())
                .filter(n -> n.equals(library) || n.startsWith(library + "."))
                .sorted()
                .findFirst()
                .orElse(null);
        if (hit != null) {
          return dir.resolve(hit).toString();
        }
      } catch (IOException e) {
        // an unreadable directory is simply not searched
      }
    }
    return null;
  }
}
