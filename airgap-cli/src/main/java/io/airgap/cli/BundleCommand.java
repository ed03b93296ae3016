package io.airgap.cli;

import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.deps.Bundles;
import io.airgap.deps.ContentStore;
import io.airgap.deps.LockedArtifact;
import io.airgap.deps.Lockfile;
import io.airgap.deps.Progress;
import io.airgap.deps.VerifiedBundle;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
      if (splitSize != null) {
        try {
          size(splitSize);
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      if (workDir != null && splitSize == null) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--work-dir applies only with --split-size");
      }
      Path whole = workDir == null ? out : workDir.resolve(out.getFileName().toString());
      if (splitSize != null) {
        io.airgap.deps.BundleParts.refuseEarlierParts(out); // before hours of bundling, not after
        if (Files.exists(whole, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          // The whole bundle is deleted once split: never write it over a file already there.
          throw new io.airgap.core.InputException(
              whole + " already exists; the whole bundle is written there before it is split");
        }
      }
      Lockfile locked = Lockfile.read(lock);
      SigningKey key = Passwords.readSigningKey(privateKey, passwordFile);
      if (splitSize == null) {
        return create(locked, key, whole);
      }
      // Stopped (Ctrl-C, SIGTERM) between bundling and the end of the split, the whole bundle,
      // this command's own intermediate file, goes too: a rerun would otherwise be refused.
      Thread removeWhole =
          new Thread(
              () -> {
                try {
                  Files.deleteIfExists(whole);
                } catch (java.io.IOException e) {
                  // the JVM is exiting; the message above names the file
                }
              },
              "airgap-whole-bundle-cleanup");
      Runtime.getRuntime().addShutdownHook(removeWhole);
      try {
        return create(locked, key, whole);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(removeWhole);
        } catch (IllegalStateException e) {
          // shutting down: the hook runs
        }
      }
    }

    private int create(Lockfile locked, SigningKey key, Path whole) throws Exception {
      Progress progress = TerminalProgress.forTerminal(spec.commandLine().getErr());
      if (sources.isEmpty()) {
        Path from =
            files != null ? files : lock.toAbsolutePath().resolveSibling("airgap-deps-files");
        Bundles.create(locked, from, key, whole, progress);
      } else {
        Bundles.create(locked, DepsCommand.repositories(spec, sources), key, whole, progress);
      }
      print(spec.commandLine().getErr(), locked.artifacts());
      if (splitSize != null) {
        Path first;
        try {
          first = io.airgap.deps.BundleParts.split(whole, size(splitSize), out);
        } catch (RuntimeException e) {
          Files.deleteIfExists(whole); // all or nothing: no whole bundle left beside no parts
          throw e;
        }
        spec.commandLine()
            .getErr()
            .println("split into parts beside " + first + " (pass it to verify and import)");
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
              TerminalProgress.forTerminal(spec.commandLine().getErr()),
              maxAge.age());
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
      PublicKey key = Pem.readPublicKey(publicKey);
      boolean existed = Files.exists(store, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      ContentStore target = ContentStore.openOrCreate(store);
      VerifiedBundle imported;
      try {
        imported =
            Bundles.importInto(
                bundle,
                key,
                target,
                TerminalProgress.forTerminal(spec.commandLine().getErr()),
                maxAge.age());
      } catch (RuntimeException e) {
        if (!existed) {
          target.deleteIfEmpty(); // a refused bundle leaves no new, empty store behind
        }
        throw e;
      }
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
