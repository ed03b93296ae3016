package io.airgap.deps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a test's main class in a JVM of its own, for what only another process can show. */
final class ChildJvm {
  private ChildJvm() {}

  /** Starts {@code main} with {@code args}, its standard error merged into its output. */
  static Process start(Class<?> main, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(classPath());
    command.add(main.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** The child's output, line by line. */
  static BufferedReader output(Process child) {
    return new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * The test's classes and libraries as one class path: the tests run inside the module on the
   * module path, and the child runs them on the class path, as a classpath application would.
   */
  static String classPath() {
    return java.util.stream.Stream.of(
            System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
        .filter(part -> part != null && !part.isEmpty())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }
}
