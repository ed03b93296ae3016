package io.airgap.cli;

import static io.airgap.cli.CommandRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
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
      text.append(String.format(Locale.ROOT, "%.4f", 40 + shift + random.nextGaussian() * 10))
          .append(',')
          .append(random.nextBoolean() ? "de" : "fr")
          .append('\n');
    }
    return Files.writeString(temp.resolve(name), text.toString());
  }

  /** Profiles {@code csv} with {@code country} categorical into {@code name} under the temp dir. */
  private CommandRunner.Result profile(Path csv, String name) {
    return run(
        "drift", "profile", "--csv", csv, "--categorical", "country", "--out", temp.resolve(name));
  }

  @Test
  void stableDataExitsZeroAndShiftedDataExitsOne() throws Exception {
    Path reference = csv("ref.csv", 0, 500, 1);
    CommandRunner.Result profiled = profile(reference, "ref.json");

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
    assertThat(shifted.out())
        .contains("\"datasetDrifted\": true")
        .contains("\"correction\": \"benjamini-hochberg\"")
        .contains("\"pvalue\": ")
        .contains("\"adjustedPvalue\": ");
    assertThat(shifted.err())
        .contains("age      ks")
        .contains("p-value    adjusted p")
        .contains("(benjamini-hochberg correction)");
    assertThat(Files.readString(temp.resolve("report.html")))
        .startsWith("<!DOCTYPE html>")
        .contains("<svg ");
  }

  @Test
  void profilesMergeAndOtherBinsAreRefused() throws Exception {
    profile(csv("a.csv", 0, 100, 4), "a.json");
    profile(csv("b.csv", 5, 100, 5), "b.json");

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

  @Test
  void calibratedThresholdsAndOverridesApplyToCompare() throws Exception {
    Path reference = csv("ref.csv", 0, 20_000, 4);
    profile(reference, "ref.json");

    CommandRunner.Result calibrated =
        run(
            "drift",
            "calibrate",
            "--reference",
            temp.resolve("ref.json"),
            "--csv",
            reference,
            "--chunk-rows",
            "2000",
            "--out",
            temp.resolve("t.json"));
    CommandRunner.Result compared =
        run(
            "drift",
            "compare",
            "--reference",
            temp.resolve("ref.json"),
            "--current",
            csv("cur.csv", 1.5, 2_000, 5),
            "--thresholds",
            temp.resolve("t.json"),
            "--method",
            "country=psi",
            "--threshold",
            "country=0.25",
            "--json");

    assertThat(calibrated.code()).isZero();
    assertThat(calibrated.err())
        .startsWith("age  wasserstein_normed  threshold ")
        .contains("\ncountry  jensenshannon  threshold ")
        .endsWith("calibrated on 10 chunks of 2000 rows: " + temp.resolve("t.json") + "\n");
    assertThat(compared.out())
        .contains("\"method\": \"wasserstein_normed\"")
        .contains("\"thresholdSource\": \"calibrated\"")
        .contains("\"method\": \"psi\"")
        .contains("\"threshold\": 0.25")
        .contains("\"thresholdSource\": \"configured\"");
    // The reference is past the exact limit, so the distance is read from the sketches.
    assertThat(compared.code()).isEqualTo(1);
    assertThat(compared.err()).contains("\nage      wasserstein_normed (sketch) [calibrated]  ");
  }

  @Test
  void badOverridesAreUsageErrors() throws Exception {
    Path reference = csv("ref.csv", 0, 500, 6);
    assertThat(profile(reference, "ref.json").code()).isZero();

    CommandRunner.Result unknownMethod =
        run(
            "drift",
            "compare",
            "--reference",
            temp.resolve("ref.json"),
            "--current",
            reference,
            "--method",
            "age=median");
    CommandRunner.Result fewChunks =
        run(
            "drift",
            "calibrate",
            "--reference",
            temp.resolve("ref.json"),
            "--csv",
            reference,
            "--chunk-rows",
            "250",
            "--out",
            temp.resolve("t.json"));

    assertThat(unknownMethod.code()).isEqualTo(2);
    assertThat(unknownMethod.err())
        .startsWith(
            "unknown drift method 'median'; known: ks, chisquare, z, wasserstein_normed,"
                + " jensenshannon, psi, kl_div, hellinger");
    assertThat(fewChunks.code()).isEqualTo(2);
    assertThat(fewChunks.err())
        .startsWith(
            "calibration needs at least 3 reference chunks, got 2; use smaller chunks or"
                + " more reference rows");
    assertThat(Files.exists(temp.resolve("t.json"))).isFalse();
  }

  @Test
  void aLiveProfileMissingAFeatureNamesBothFiles() throws Exception {
    Path reference = csv("ref.csv", 0, 300, 8);
    Files.writeString(temp.resolve("age.csv"), "age\n41\n42\n");
    profile(reference, "ref.json");
    run("drift", "profile", "--csv", temp.resolve("age.csv"), "--out", temp.resolve("live.json"));

    CommandRunner.Result result =
        run(
            "drift",
            "compare",
            "--reference",
            temp.resolve("ref.json"),
            "--current",
            temp.resolve("live.json"));

    assertThat(result.code()).isEqualTo(3);
    assertThat(result.err())
        .isEqualTo(
            "airgap: cannot compare "
                + temp.resolve("live.json")
                + " with "
                + temp.resolve("ref.json")
                + ": feature country is in the reference only, not in the current profile\n");
  }
}
