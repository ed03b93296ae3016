package io.airgap.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application that is itself a named module, compiled and run against the built jars on the
 * module path: what it may use is what {@code io.airgap.core} exports, and nothing else compiles.
 */
class ModulePathConsumerTest {
  /** The jars an {@code io.airgap.core} consumer needs, by file-name prefix. */
  private static final List<String> CORE_JARS =
      List.of(
          "airgap-core-",
          "jackson-databind-",
          "jackson-core-",
          "jackson-annotations-",
          "bcprov-jdk18on-",
          "bcpkix-jdk18on-",
          "bcutil-jdk18on-",
          "slf4j-api-");

  @TempDir Path tmp;

  @Test
  void aModuleRequiringCoreSignsAndVerifiesThroughExportedPackagesOnly() throws Exception {
    Path source = tmp.resolve("src");
    write(source.resolve("module-info.java"), "module consumer { requires io.airgap.core; }");
    write(
        source.resolve("consumer/Main.java"),
        String.join(
            "\n",
            "package consumer;",
            "import io.airgap.core.manifest.ModelHasher;",
            "import io.airgap.core.signing.*;",
            "import java.nio.file.*;",
            "import java.util.List;",
            "public class Main {",
            "  public static void main(String[] args) throws Exception {",
            "    Path model = Files.createDirectories(Path.of(args[0]));",
            "    Files.writeString(model.resolve('w' + \".bin\"), \"weights\");",
            "    SigningKey key = Pem.generate(KeyType.ECDSA_P256);",
            "    ModelSigner.builder().key(key).build()",
            "        .sign(model, model.resolve(\"model.sig\"), ModelHasher.builder().build(),"
                + " List.of());",
            "    ModelSignatureVerifier verifier ="
                + " ModelVerifier.builder().publicKey(key.publicKey()).build();",
            "    VerificationReport report = verifier.verify(model,"
                + " List.of(model.resolve(\"model.sig\")));",
            "    System.out.println(\"verified \" + report.resourcesChecked() + \" \""
                + " + Main.class.getModule().getName());",
            "  }",
            "}"));
    Path classes = tmp.resolve("classes");

    Process javac = run(javac(source, classes));
    assertThat(output(javac)).isEmpty();
    assertThat(javac.exitValue()).isZero();

    // Standard output only: without a logging binding SLF4J says so on standard error.
    Process java =
        runKeepingErrorApart(
            List.of(
                javaTool("java"),
                "--module-path",
                classes + File.pathSeparator + modulePath(),
                "--module",
                "consumer/consumer.Main",
                tmp.resolve("model").toString()));
    assertThat(output(java)).isEqualTo("verified 1 consumer\n");
    assertThat(java.exitValue()).isZero();
  }

  @Test
  void aModuleCannotCompileAgainstCoresInternalPackage() throws Exception {
    Path source = tmp.resolve("src");
    write(source.resolve("module-info.java"), "module consumer { requires io.airgap.core; }");
    write(
        source.resolve("consumer/Main.java"),
        "package consumer;\n"
            + "public class Main {\n"
            + "  Object mapper = io.airgap.core.internal.StrictJson.mapper();\n"
            + "}\n");

    Process javac = run(javac(source, tmp.resolve("classes")));

    assertThat(javac.exitValue()).isNotZero();
    assertThat(output(javac))
        .contains(
            "package io.airgap.core.internal is declared in module io.airgap.core, which does"
                + " not export it to module consumer");
  }

  private static List<String> javac(Path source, Path classes) throws IOException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(javaTool("javac"), "-d", classes.toString(), "--module-path", modulePath()));
    try (var files = Files.walk(source)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> command.add(f.toString()));
    }
    return command;
  }

  /** The core jar and its libraries, taken from this test's class path. */
  private static String modulePath() {
    List<String> entries =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(
                entry -> {
                  String name = Path.of(entry).getFileName().toString();
                  return name.endsWith(".jar") && CORE_JARS.stream().anyMatch(name::startsWith);
                })
            .collect(Collectors.toList());
    assertThat(entries).as("core and its libraries on the class path").hasSize(CORE_JARS.size());
    return String.join(File.pathSeparator, entries);
  }

  private static String javaTool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  /** Runs a command; its output is standard output and error together. */
  private static Process run(List<String> command) throws Exception {
    return finished(new ProcessBuilder(command).redirectErrorStream(true));
  }

  /** Runs a command; its output is standard output alone, standard error goes to a file. */
  private Process runKeepingErrorApart(List<String> command) throws Exception {
    return finished(new ProcessBuilder(command).redirectError(tmp.resolve("stderr.txt").toFile()));
  }

  private static Process finished(ProcessBuilder builder) throws Exception {
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS))
        .as("%s finished", builder.command().get(0))
        .isTrue();
    return process;
  }

  private static String output(Process process) throws IOException {
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
