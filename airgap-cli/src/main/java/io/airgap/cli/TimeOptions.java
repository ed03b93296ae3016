package io.airgap.cli;

import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code --verification-time} and {@code --clock-tolerance}: air-gapped clocks drift. */
final class TimeOptions {
  @Option(
      names = "--verification-time",
      description = "The time at which validity and expiry are judged (ISO-8601; default now).")
  Instant verificationTime;

  @Option(
      names = "--clock-tolerance",
      defaultValue = "PT0S",
      description = "How far the clock may be off, ISO-8601 duration such as PT10M (default 0).")
  Duration tolerance;

  Instant instant() {
    return verificationTime != null ? verificationTime : Instant.now();
  }

  Duration tolerance(picocli.CommandLine.Model.CommandSpec spec) {
    if (tolerance.isNegative()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--clock-tolerance must not be negative: " + tolerance);
    }
    return tolerance;
  }
}
