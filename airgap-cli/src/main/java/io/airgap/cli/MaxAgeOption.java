package io.airgap.cli;

import io.airgap.deps.BundleAge;
import io.airgap.deps.Progress;
import io.airgap.deps.VerifyOptions;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --max-age}, shared by {@code bundle verify} and {@code bundle import}. */
final class MaxAgeOption {
  @Option(
      names = "--max-age",
      paramLabel = "AGE",
      converter = Converter.class,
      description =
          "Refuse a bundle created longer ago than AGE (30d, 12h, 45m, or ISO-8601 such as P30D),"
              + " by this host's clock against the signer's.")
  Duration maxAge;

  /** Verify options with the age limit, if one was given, telling {@code progress}. */
  VerifyOptions options(Progress progress) {
    VerifyOptions.Builder options = VerifyOptions.builder().progress(progress);
    if (maxAge != null) {
      options.age(BundleAge.atMost(maxAge));
    }
    return options.build();
  }

  /** {@code --max-age}: {@code 30d}, {@code 12h}, {@code 45m}, {@code 90s}, or ISO-8601. */
  static final class Converter implements picocli.CommandLine.ITypeConverter<java.time.Duration> {
    @Override
    public java.time.Duration convert(String value) {
      java.util.regex.Matcher unit =
          java.util.regex.Pattern.compile("(\\d{1,9})([dhms])").matcher(value);
      java.time.Duration age;
      if (unit.matches()) {
        long amount = Long.parseLong(unit.group(1));
        age =
            switch (unit.group(2)) {
              case "d" -> java.time.Duration.ofDays(amount);
              case "h" -> java.time.Duration.ofHours(amount);
              case "m" -> java.time.Duration.ofMinutes(amount);
              default -> java.time.Duration.ofSeconds(amount);
            };
      } else {
        try {
          age = java.time.Duration.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
          throw new picocli.CommandLine.TypeConversionException(
              "'" + value + "' is not an age such as 30d, 12h, 45m or P30D");
        }
      }
      if (age.isNegative() || age.isZero()) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a positive age");
      }
      return age;
    }
  }
}
