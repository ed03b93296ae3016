package io.airgap.cli;

import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.drift.CsvProfiles;
import io.airgap.drift.DriftCalibration;
import io.airgap.drift.DriftDetector;
import io.airgap.drift.DriftHtml;
import io.airgap.drift.DriftMethod;
import io.airgap.drift.DriftOptions;
import io.airgap.drift.DriftProfile;
import io.airgap.drift.DriftReport;
import io.airgap.drift.MultipleTesting;
import io.airgap.drift.ProfileCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap drift}: profile reference data, compare live data with it, merge profiles. */
@Command(
    name = "drift",
    description = "Profile reference data, compare current data with it, merge profiles.",
    subcommands = {
      DriftCommand.Profile.class,
      DriftCommand.Calibrate.class,
      DriftCommand.Compare.class,
      DriftCommand.Merge.class
    })
final class DriftCommand {
  private DriftCommand() {}

  static DriftProfile read(Path file) {
    try {
      return DriftProfile.of(ProfileCodec.parse(Files.readAllBytes(file), file.toString()));
    } catch (IOException e) {
      throw new InputException("cannot read profile " + file + ": " + e.getMessage(), e);
    }
  }

  static DriftCalibration readCalibration(Path file) {
    try {
      return DriftCalibration.parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new InputException("cannot read thresholds " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code airgap drift profile}. */
  @Command(name = "profile", description = "Profile a reference CSV into a frozen profile (JSON).")
  static final class Profile implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--csv", required = true, description = "Reference data with a header row.")
    Path csv;

    @Option(names = "--columns", split = ",", description = "Columns to profile (default: all).")
    List<String> columns = new ArrayList<>();

    @Option(
        names = "--categorical",
        split = ",",
        description = "Categorical columns (the rest are numeric).")
    List<String> categorical = new ArrayList<>();

    @Option(
        names = "--bins",
        defaultValue = "10",
        description = "Inner bins per numeric feature (default 10).")
    int bins;

    @Option(names = "--out", required = true, description = "Profile JSON to write.")
    Path out;

    @Override
    public Integer call() {
      if (bins < 1) {
        throw new ParameterException(spec.commandLine(), "--bins must be at least 1");
      }
      DriftProfile profile =
          DriftProfile.builder()
              .bins(bins)
              .buildFromCsv(csv, columns, new LinkedHashSet<>(categorical));
      AtomicFiles.write(out, ProfileCodec.write(profile));
      spec.commandLine()
          .getErr()
          .println(
              "profiled " + profile.features().size() + " features of " + csv + " into " + out);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap drift calibrate}. */
  @Command(
      name = "calibrate",
      description =
          "Calibrate distance thresholds on the reference data itself (mean + 3 sigma of each"
              + " chunk's distance from the rest).")
  static final class Calibrate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--reference", required = true, description = "Reference profile JSON.")
    Path reference;

    @Option(
        names = "--csv",
        required = true,
        description = "The reference data the profile was made from.")
    Path csv;

    @Option(
        names = "--chunk-rows",
        required = true,
        description = "Rows per chunk: the size of a live window.")
    int chunkRows;

    @Option(names = "--out", required = true, description = "Thresholds JSON to write.")
    Path out;

    @Override
    public Integer call() {
      if (chunkRows < 1) {
        throw new ParameterException(spec.commandLine(), "--chunk-rows must be at least 1");
      }
      DriftProfile ref = read(reference);
      List<DriftProfile> chunks = CsvProfiles.chunks(csv, ref, chunkRows);
      DriftCalibration calibration;
      try {
        calibration = DriftCalibration.leaveOneOut(ref, chunks, chunkRows, DriftOptions.defaults());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      AtomicFiles.write(out, calibration.toJson());
      for (DriftCalibration.Threshold t : calibration.thresholds()) {
        spec.commandLine()
            .getErr()
            .printf(
                Locale.ROOT,
                "%s  %s  threshold %.6f (mean %.6f, std %.6f)%n",
                t.feature(),
                t.method().label(),
                t.threshold(),
                t.mean(),
                t.std());
      }
      spec.commandLine()
          .getErr()
          .println("calibrated on " + chunks.size() + " chunks of " + chunkRows + " rows: " + out);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap drift compare}. */
  @Command(
      name = "compare",
      description = "Compare current data (CSV or profile JSON) with a reference profile.")
  static final class Compare implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--reference", required = true, description = "Reference profile JSON.")
    Path reference;

    @Option(
        names = "--current",
        required = true,
        description = "Current data: a CSV file or a live profile JSON.")
    Path current;

    @Option(
        names = "--correction",
        defaultValue = "benjamini-hochberg",
        description =
            "none, bonferroni or benjamini-hochberg (default): adjusts the p-values the verdict"
                + " reads; reports give each test's own p-value and the adjusted one.")
    String correction;

    @Option(names = "--json", description = "Print the report as JSON on standard output.")
    boolean json;

    @Option(names = "--html", description = "Write a self-contained HTML report (SVG histograms).")
    Path html;

    @Option(
        names = "--thresholds",
        description = "Calibrated thresholds JSON (from 'drift calibrate').")
    Path thresholds;

    @Option(
        names = "--method",
        description =
            "FEATURE=METHOD: ks, chisquare, z, wasserstein_normed, jensenshannon,"
                + " psi, kl_div or hellinger instead of the default choice (repeatable).")
    Map<String, String> methods = new LinkedHashMap<>();

    @Option(
        names = "--threshold",
        description = "FEATURE=VALUE: a p-value or distance threshold (repeatable).")
    Map<String, Double> featureThresholds = new LinkedHashMap<>();

    @Option(
        names = "--smoothing",
        defaultValue = "laplace",
        description = "Empty buckets: laplace (default) or evidently (Evidently's numbers).")
    String smoothing;

    private DriftOptions options() {
      DriftOptions.Builder builder = DriftOptions.builder();
      try {
        builder.smoothing(
            DriftDetector.Smoothing.valueOf(smoothing.toUpperCase(Locale.ROOT).replace('-', '_')));
        if (thresholds != null) {
          builder.calibrated(readCalibration(thresholds));
        }
        methods.forEach(
            (feature, method) -> builder.method(feature, DriftMethod.fromLabel(method)));
        featureThresholds.forEach(builder::threshold);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      return builder.build();
    }

    @Override
    public Integer call() {
      MultipleTesting.Correction chosen;
      try {
        chosen = MultipleTesting.Correction.fromLabel(correction);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "unknown --correction " + correction);
      }
      DriftOptions options = options();
      DriftProfile ref = read(reference);
      DriftProfile cur =
          current.getFileName().toString().endsWith(".json")
              ? read(current)
              : CsvProfiles.current(current, ref);
      DriftReport report;
      try {
        report = DriftReport.compare(ref, cur, options, chosen);
      } catch (FormatException e) {
        throw new FormatException(
            "cannot compare " + current + " with " + reference + ": " + e.getMessage(), e);
      }
      if (html != null) {
        AtomicFiles.write(
            html, DriftHtml.render(report, ref, cur).getBytes(StandardCharsets.UTF_8));
      }
      if (json) {
        spec.commandLine().getOut().print(report.toJson());
      }
      spec.commandLine().getErr().print(report.toText());
      return report.datasetDrifted() ? ExitCodes.VERIFICATION_FAILED : ExitCodes.OK;
    }
  }

  /** {@code airgap drift merge}. */
  @Command(
      name = "merge",
      description = "Add profiles with the same frozen bins (from many hosts or windows).")
  static final class Merge implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "PROFILE", description = "Profiles to add up.")
    List<Path> profiles = new ArrayList<>();

    @Option(names = "--out", required = true, description = "Merged profile JSON to write.")
    Path out;

    @Override
    public Integer call() {
      DriftProfile merged = read(profiles.get(0));
      for (Path file : profiles.subList(1, profiles.size())) {
        merged.merge(read(file));
      }
      AtomicFiles.write(out, ProfileCodec.write(merged));
      spec.commandLine().getErr().println("merged " + profiles.size() + " profiles into " + out);
      return ExitCodes.OK;
    }
  }
}
