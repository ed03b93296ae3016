package io.airgap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only a real process shows: output reaches the stream before exit, write errors count. */
class ProcessOutputTest {
  @TempDir Path temp;

  private Process cli(File stdout, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), AirgapCommand.class.getName()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(stdout)
            .redirectError(temp.resolve("stderr.txt").toFile())
            .start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return process;
  }

  private String stderr() throws Exception {
    return Files.readString(temp.resolve("stderr.txt"), StandardCharsets.UTF_8);
  }

  @Test
  void aDriftReportPrintedWithoutALineEndReachesStandardOutput() throws Exception {
    Files.writeString(temp.resolve("ref.csv"), "a\n1\n2\n3\n4\n5\n6\n");
    Files.writeString(temp.resolve("cur.csv"), "a\n9\n8\n9\n7\n9\n8\n");
    File out = temp.resolve("out.txt").toFile();
    assertThat(
            cli(
                    out,
                    "drift",
                    "profile",
                    "--csv",
                    temp.resolve("ref.csv").toString(),
                    "--out",
                    temp.resolve("ref.json").toString())
                .exitValue())
        .isZero();

    Process compare =
        cli(
            out,
            "drift",
            "compare",
            "--reference",
            temp.resolve("ref.json").toString(),
            "--current",
            temp.resolve("cur.csv").toString(),
            "--json");

    assertThat(compare.exitValue()).as(stderr()).isEqualTo(1);
    assertThat(Files.readString(out.toPath())).startsWith("{").contains("\"adjustedPvalue\"");
  }

  @Test
  void standardOutputOnAFullDeviceIsExitThreeWithAMessage() throws Exception {
    Files.createDirectories(temp.resolve("model"));
    Files.writeString(temp.resolve("model/w.bin"), "weights");

    Process digest = cli(new File("/dev/full"), "digest", temp.resolve("model").toString());

    assertThat(digest.exitValue()).isEqualTo(3);
    assertThat(stderr())
        .isEqualTo(
            "airgap: cannot write to standard output (disk full or closed); nothing more was"
                + " printed\n");
  }
}
