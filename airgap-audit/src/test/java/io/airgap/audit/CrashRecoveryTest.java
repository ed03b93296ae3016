package io.airgap.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.audit.note.NoteSigner;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends durably and prints every receipt it was given; it is killed with SIGKILL at
 * random moments. After each kill the log must reopen with every printed receipt present and
 * verify.
 */
class CrashRecoveryTest {
  private static final int ROUNDS = 50;

  @TempDir Path temp;

  @Test
  void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
    NoteSigner signer = NoteSigner.generate("audit.example.org/crash");
    Path directory = temp.resolve("log");
    Random random = new Random(42);
    Map<Long, String> acknowledged = new HashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  childClassPath(),
                  "-Dorg.slf4j.simpleLogger.defaultLogLevel=off",
                  CrashChild.class.getName(),
                  directory.toString(),
                  signer.privateKeyString())
              .redirectErrorStream(true)
              .start();
      List<String> lines = new ArrayList<>();
      Thread reader = new Thread(() -> readLines(child, lines));
      reader.start();
      waitForOpen(lines);
      Thread.sleep(5 + random.nextInt(250));
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
      reader.join();
      synchronized (lines) {
        for (String line : lines) {
          if (line.matches("[0-9]+ .+")) {
            String[] parts = line.split(" ");
            acknowledged.put(Long.parseLong(parts[0]), parts[1]);
          }
        }
      }
      try (AuditLog log = AuditLog.builder(directory).origin(signer.name()).signer(signer).open()) {
        assertThat(log.checkpoint().size())
            .as("round %d", round)
            .isGreaterThanOrEqualTo(acknowledged.size());
      }
    }
    AuditLogReader reader = AuditLogReader.open(directory, List.of(signer.verifier()));
    for (Map.Entry<Long, String> receipt : acknowledged.entrySet()) {
      byte[] leaf = io.airgap.audit.tree.Rfc6962.leafHash(reader.entry(receipt.getKey()));
      assertThat(Base64.getEncoder().encodeToString(leaf))
          .as("entry %d", receipt.getKey())
          .isEqualTo(receipt.getValue());
    }
    assertThat(acknowledged).hasSizeGreaterThan(ROUNDS);
    assertThat(new AuditVerifier(List.of(signer.verifier())).verify(directory).size())
        .isGreaterThanOrEqualTo(acknowledged.size());
  }

  private static void readLines(Process child, List<String> lines) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (java.io.IOException e) {
      // The child was killed mid-line; what was read is what was acknowledged.
    }
  }

  private static void waitForOpen(List<String> lines) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    synchronized (lines) {
      while (lines.stream().noneMatch(line -> line.startsWith("open "))
          && System.currentTimeMillis() < deadline) {
        lines.wait(100);
      }
      assertThat(lines).as("child output").anyMatch(line -> line.startsWith("open "));
    }
  }

  /**
   * The test's classes and libraries as one class path: the tests run inside the module on the
   * module path, and the child runs them on the class path, as a classpath application would.
   */
  private static String childClassPath() {
    return java.util.stream.Stream.of(
            System.getProperty("jdk.module.path"), System.getProperty("java.class.path"))
        .filter(part -> part != null && !part.isEmpty())
        .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
  }
}
