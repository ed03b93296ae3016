package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drift from the command line: profile, compare (exit 1 on drift), merge. */
class DriftCommandTest {
  @TempDir Path temp;

  private Path csv(String name, double shift, int rows, long seed) throws Exception {
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder("age,country\n");
    for (int i = 0; i < rows; i++) {
      text.append(
              String.format(java.util.Locale.ROOT, "%.4f", 40 + shift + random.nextGaussian() * 10))
          .append(',')
          .append(random.nextBoolean() ? "de" : "fr")
          .append('\n');
    }
    return Files.writeString(temp.resolve(name), text.toString());
  }

  @Test
  void stableDataExitsZeroAndShiftedDataExitsOne() throws Exception {
    Path reference = csv("ref.csv", 0, 500, 1);
    CommandRunner.Result profiled =
        run(
            "drift",
            "profile",
            "--csv",
            reference,
            "--categorical",
            "country",
            "--out",
            temp.resolve("ref.json"));

    CommandRunner.Result same =
        run(
            "drift",
            "compare",
            "--reference",
            temp.resolve("ref.json"),
            "--current",
            csv("same.csv", 0, 400, 2));
    CommandRunner.Result shifted =
        run(
            "drift",
            "compare",
            "--reference",
            temp.resolve("ref.json"),
            "--current",
            csv("shift.csv", 15, 400, 3),
            "--json",
            "--html",
            temp.resolve("report.html"));

    assertThat(profiled.code()).isZero();
    assertThat(same.code()).isZero();
    assertThat(same.err()).endsWith("dataset stable\n");
    assertThat(shifted.code()).isEqualTo(1);
    assertThat(shifted.out()).contains("\"datasetDrifted\": true");
    assertThat(shifted.err()).contains("age      ks");
    assertThat(Files.readString(temp.resolve("report.html")))
        .startsWith("<!DOCTYPE html>")
        .contains("<svg ");
  }

  @Test
  void profilesMergeAndOtherBinsAreRefused() throws Exception {
    run(
        "drift",
        "profile",
        "--csv",
        csv("a.csv", 0, 100, 4),
        "--out",
        temp.resolve("a.json"),
        "--categorical",
        "country");
    run(
        "drift",
        "profile",
        "--csv",
        csv("b.csv", 5, 100, 5),
        "--out",
        temp.resolve("b.json"),
        "--categorical",
        "country");

    CommandRunner.Result self =
        run(
            "drift",
            "merge",
            temp.resolve("a.json"),
            temp.resolve("a.json"),
            "--out",
            temp.resolve("m.json"));
    CommandRunner.Result other =
        run(
            "drift",
            "merge",
            temp.resolve("a.json"),
            temp.resolve("b.json"),
            "--out",
            temp.resolve("x.json"));

    assertThat(self.code()).isZero();
    assertThat(other.code()).isEqualTo(3);
    assertThat(other.err())
        .isEqualTo(
            "airgap: cannot merge profiles: feature age has other frozen bins or categories\n");
    assertThat(Files.exists(temp.resolve("x.json"))).isFalse();
  }
}
