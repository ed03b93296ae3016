package io.airgap.cli;

import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.deps.BundleOptions;
import io.airgap.deps.Bundles;
import io.airgap.deps.LockedArtifact;
import io.airgap.deps.Lockfile;
import io.airgap.deps.VerifiedBundle;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap bundle}: carry a lock's artifacts across the gap in one signed file. */
@Command(
    name = "bundle",
    description = "Create, inspect, verify and import signed bundles (a tar of an OCI layout).",
    subcommands = {
      BundleCommand.Create.class,
      BundleCommand.Inspect.class,
      BundleCommand.Verify.class,
      BundleCommand.Import.class
    })
final class BundleCommand {
  private BundleCommand() {}

  static void print(PrintWriter out, List<LockedArtifact> artifacts) {
    for (LockedArtifact artifact : artifacts) {
      out.printf(
          "%s  %s  %d files, %d bytes%n",
          artifact.name(), artifact.kind().label(), artifact.files().size(), artifact.size());
    }
  }

  /** {@code airgap bundle create}. */
  @Command(name = "create", description = "Write a signed bundle of every artifact of a lock.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--lock", required = true, description = "The lockfile.")
    Path lock;

    @Option(names = "--out", required = true, description = "The bundle to write (.tar).")
    Path out;

    @Option(names = "--private-key", required = true, description = "The signing key (PEM).")
    Path privateKey;

    @Option(names = "--password-file", description = "File whose first line is the key's password.")
    Path passwordFile;

    @Option(
        names = "--files",
        description = "The files 'deps lock' fetched (default: airgap-deps-files beside the lock).")
    Path files;

    @Option(
        names = "--source",
        description =
            "Fetch the files again from these sources instead (TYPE=LOCATION, repeatable).")
    List<String> sources = new ArrayList<>();

    @Option(
        names = "--split-size",
        description =
            "Split into parts of this size (bytes, or with K, M, G): OUT.part000 records them.")
    String splitSize;

    @Option(
        names = "--work-dir",
        description =
            "With --split-size: write the whole bundle here before splitting it, so OUT's disk"
                + " (a FAT32 or small medium) needs room for the parts only (default: beside"
                + " OUT).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
      BundleOptions.Builder options =
          BundleOptions.builder()
              .progress(TerminalProgress.forTerminal(spec.commandLine().getErr()));
      if (splitSize != null) {
        try {
          options.splitSize(size(splitSize));
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      if (workDir != null) {
        if (splitSize == null) {
          throw new ParameterException(
              spec.commandLine(), "--work-dir applies only with --split-size");
        }
        options.workDirectory(workDir);
      }
      if (sources.isEmpty()) {
        options.files(
            files != null ? files : lock.toAbsolutePath().resolveSibling("airgap-deps-files"));
      } else {
        options.repositories(DepsCommand.repositories(spec, sources));
      }
      Lockfile locked = Lockfile.read(lock);
      SigningKey key = Passwords.readSigningKey(privateKey, passwordFile);
      Path written = Bundles.create(locked, key, out, options.build());
      print(spec.commandLine().getErr(), locked.artifacts());
      if (splitSize != null) {
        spec.commandLine()
            .getErr()
            .println("split into parts beside " + written + " (pass it to verify and import)");
        return ExitCodes.OK;
      }
      spec.commandLine()
          .getErr()
          .println(
              "bundled "
                  + locked.artifacts().size()
                  + " artifacts into "
                  + out
                  + " ("
                  + Files.size(out)
                  + " bytes), signed with "
                  + Pem.hint(key.publicKey()));
      return ExitCodes.OK;
    }
  }

  /** A size such as {@code 1048576}, {@code 700M} or {@code 4G} (binary units). */
  static long size(String text) {
    String t = text.trim().toUpperCase(java.util.Locale.ROOT);
    long unit = 1;
    if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
      unit = t.endsWith("K") ? 1L << 10 : t.endsWith("M") ? 1L << 20 : 1L << 30;
      t = t.substring(0, t.length() - 1);
    }
    try {
      long value = Math.multiplyExact(Long.parseLong(t), unit);
      if (value < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "--split-size must be a positive size such as 700M, not " + text);
    }
  }

  /** {@code airgap bundle inspect}. */
  @Command(
      name = "inspect",
      description = "List a bundle's artifacts without extracting it (no signature check).")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle.")
    Path bundle;

    @Override
    public Integer call() {
      print(spec.commandLine().getOut(), Bundles.inspect(bundle));
      return ExitCodes.OK;
    }
  }

  /** {@code airgap bundle verify}. */
  @Command(name = "verify", description = "Check a bundle's signature and every byte of it.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle.")
    Path bundle;

    @Option(names = "--public-key", required = true, description = "The signer's public key (PEM).")
    Path publicKey;

    @picocli.CommandLine.Mixin MaxAgeOption maxAge;

    @Override
    public Integer call() {
      VerifiedBundle verified =
          Bundles.verify(
              bundle,
              Pem.readPublicKey(publicKey),
              maxAge.options(TerminalProgress.forTerminal(spec.commandLine().getErr())));
      print(spec.commandLine().getOut(), verified.artifacts());
      spec.commandLine()
          .getErr()
          .println(
              "bundle "
                  + bundle
                  + " verified: "
                  + verified.artifacts().size()
                  + " artifacts, created "
                  + verified.created());
      return ExitCodes.OK;
    }
  }

  /** {@code airgap bundle import}. */
  @Command(
      name = "import",
      description = "Verify a bundle, then add its artifacts to a content store.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BUNDLE", description = "The bundle.")
    Path bundle;

    @Option(names = "--store", required = true, description = "The content store directory.")
    Path store;

    @Option(names = "--public-key", required = true, description = "The signer's public key (PEM).")
    Path publicKey;

    @picocli.CommandLine.Mixin MaxAgeOption maxAge;

    @Override
    public Integer call() {
      // Into a new directory, a refused or interrupted import leaves no store behind.
      VerifiedBundle imported =
          Bundles.importInto(
              bundle,
              Pem.readPublicKey(publicKey),
              store,
              maxAge.options(TerminalProgress.forTerminal(spec.commandLine().getErr())));
      print(spec.commandLine().getOut(), imported.artifacts());
      spec.commandLine()
          .getErr()
          .println(
              "imported "
                  + imported.artifacts().size()
                  + " artifacts into "
                  + store
                  + " from a bundle created "
                  + imported.created());
      return ExitCodes.OK;
    }
  }
}
