package io.airgap.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts ONNX Runtime once per JVM, after checking where its native libraries will come from. The
 * Java API unpacks them from its jar into {@code java.io.tmpdir} unless {@value #NATIVE_PATH} names
 * a directory holding them; on a temporary directory mounted {@code noexec} the load then fails
 * deep inside the JVM ("failed to map segment from shared object"). This class checks first and
 * says which directory and which setting fixes it. Even with {@value #NATIVE_PATH} set, ONNX
 * Runtime creates a directory under {@code java.io.tmpdir} as it starts, so that must be writable.
 * A failed start is remembered: the runtime's classes cannot be initialised twice in one JVM, so
 * later calls report the first failure instead of an unrelated class error. Telemetry is switched
 * off. Thread-safe.
 */
public final class NativeRuntime {
  /** The system property ONNX Runtime reads for a directory of its native libraries. */
  public static final String NATIVE_PATH = "onnxruntime.native.path";

  private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);
  private static OrtEnvironment environment;
  private static InferenceException failure;

  private NativeRuntime() {}

  /**
   * The shared ONNX Runtime environment, started on first use with telemetry off.
   *
   * @throws InferenceException naming the directory and the setting to change when the native
   *     libraries cannot be loaded from where they would come from
   */
  public static synchronized OrtEnvironment environment() {
    if (environment == null) {
      if (failure != null) {
        throw new InferenceException(
            "ONNX Runtime failed to start earlier in this JVM and cannot be started again; fix"
                + " the cause and restart: "
                + failure.getMessage(),
            failure);
      }
      preflight();
      try {
        OrtEnvironment env =
            OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "airgap");
        env.setTelemetry(false);
        LOG.info("ONNX Runtime {} started, telemetry off", env.getVersion());
        environment = env;
      } catch (OrtException | LinkageError e) {
        failure =
            new InferenceException(
                "ONNX Runtime did not start: "
                    + reason(e)
                    + "; run 'airgap doctor' to see which native libraries and directories it uses",
                e);
        throw failure;
      }
    }
    return environment;
  }

  /**
   * The first message along the causes: the runtime's class initialiser wraps the real reason (a
   * temporary directory it cannot create, native libraries of another version) in an error with no
   * message of its own.
   */
  static String reason(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t.getMessage() != null) {
        return t == error ? t.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return error.getClass().getName();
  }

  /**
   * Checks the directory the native libraries will be loaded from: {@value #NATIVE_PATH} when set,
   * else {@code java.io.tmpdir}.
   *
   * @throws InferenceException when it is missing, not writable, or does not allow execution
   */
  static void preflight() {
    String nativePath = System.getProperty(NATIVE_PATH);
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    if (nativePath != null) {
      List<String> problems = new ArrayList<>(checkNativeDirectory(Path.of(nativePath)));
      for (String problem : checkWritable(temp)) {
        problems.add(
            "java.io.tmpdir ("
                + temp
                + ") "
                + problem
                + ", and ONNX Runtime creates a directory there as it starts; point"
                + " -Djava.io.tmpdir at a writable directory");
      }
      if (!problems.isEmpty()) {
        throw new InferenceException(
            "-D"
                + NATIVE_PATH
                + "="
                + nativePath
                + " cannot be used: "
                + String.join("; ", problems));
      }
      return;
    }
    List<String> problems = checkTemporaryDirectory(temp);
    if (!problems.isEmpty()) {
      throw new InferenceException(
          "ONNX Runtime unpacks its native libraries into java.io.tmpdir ("
              + temp
              + "), which "
              + String.join(" and ", problems)
              + "; point -Djava.io.tmpdir at a directory that allows writing and execution, or set"
              + " -D"
              + NATIVE_PATH
              + " to a directory holding the libraries (see 'airgap doctor')");
    }
  }

  /** Problems writing into a directory: empty when it exists and a file can be created there. */
  public static List<String> checkWritable(Path directory) {
    return probe(directory, false);
  }

  /**
   * Problems with a directory native libraries would be unpacked into and loaded from: empty when
   * it exists, is writable, and a file written there may be executed (not mounted noexec).
   */
  public static List<String> checkTemporaryDirectory(Path directory) {
    return probe(directory, true);
  }

  /** Writes a probe file into {@code directory}, and checks it may be executed when asked. */
  private static List<String> probe(Path directory, boolean execution) {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      problems.add("does not exist or is not a directory");
      return problems;
    }
    Path probe = null;
    try {
      probe = Files.createTempFile(directory, "airgap-probe", ".so");
      if (!execution || !probe.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        return problems; // no execute bit to test (Windows): writability is what matters
      }
      Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwx------"));
      // access(X_OK) fails for a file on a filesystem mounted noexec, as loading would.
      if (!Files.isExecutable(probe)) {
        problems.add("does not allow execution (mounted noexec?)");
      }
    } catch (IOException e) {
      problems.add("is not writable (" + e.getMessage() + ")");
    } finally {
      deleteQuietly(probe);
    }
    return problems;
  }

  /**
   * Problems with a directory named by {@value #NATIVE_PATH}: empty when it holds this platform's
   * ONNX Runtime library and its JNI library, and they may be executed.
   */
  public static List<String> checkNativeDirectory(Path directory) {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      problems.add(directory + " does not exist or is not a directory");
      return problems;
    }
    for (String library : List.of("onnxruntime", "onnxruntime4j_jni")) {
      Path file = directory.resolve(System.mapLibraryName(library));
      if (!Files.isRegularFile(file)) {
        problems.add(directory + " has no " + file.getFileName() + " for " + platform());
      } else if (!Files.isReadable(file)) {
        problems.add(file + " is not readable");
      } else if (file.getFileSystem().supportedFileAttributeViews().contains("posix")
          && !Files.isExecutable(file)) {
        problems.add(file + " may not be executed (mounted noexec, or no execute permission)");
      }
    }
    return problems;
  }

  /** This JVM's platform in ONNX Runtime's naming, for example {@code linux-x64}. */
  public static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String osName = os.contains("win") ? "win" : os.contains("mac") ? "osx" : "linux";
    String archName =
        arch.equals("amd64") || arch.equals("x86_64")
            ? "x64"
            : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
    return osName + "-" + archName;
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        LOG.debug("could not delete probe {}: {}", file, e.getMessage());
      }
    }
  }
}
