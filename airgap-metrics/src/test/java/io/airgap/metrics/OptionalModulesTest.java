package io.airgap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** airgap-metrics works for a host that has neither airgap-inference nor airgap-drift. */
class OptionalModulesTest {
  /** Class path entries a host without inference and drift does not have. */
  private static final List<String> ABSENT =
      List.of("airgap-inference", "airgap-drift", "onnxruntime", "datasketches", "statistics");

  @Test
  void anAuditOnlyHostMetersAppendsWithoutInferenceOrDriftClasses() throws Exception {
    String classPath =
        Stream.of(System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
            .filter(part -> part != null && !part.isEmpty())
            .flatMap(part -> Arrays.stream(part.split(File.pathSeparator)))
            .filter(entry -> ABSENT.stream().noneMatch(entry::contains))
            .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).contains("airgap-core").doesNotContain("onnxruntime");

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classPath,
                AuditOnlyMain.class.getName())
            .redirectErrorStream(true)
            .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(output).endsWith("appends 1\n");
    assertThat(child.exitValue()).isZero();
  }
}
