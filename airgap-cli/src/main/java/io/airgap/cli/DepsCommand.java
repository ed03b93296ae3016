package io.airgap.cli;

import io.airgap.deps.ContentStore;
import io.airgap.deps.DependencySpec;
import io.airgap.deps.LockedArtifact;
import io.airgap.deps.Locker;
import io.airgap.deps.Lockfile;
import io.airgap.deps.Repositories;
import io.airgap.deps.Repository;
import io.airgap.deps.Resolver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code airgap deps}: lock what a deployment needs, resolve a lock against the local store. */
@Command(
    name = "deps",
    description = "Lock a deployment's artifacts; resolve a lock offline against a content store.",
    subcommands = {DepsCommand.Lock.class, DepsCommand.Resolve.class})
final class DepsCommand {
  private DepsCommand() {}

  /**
   * Repositories from {@code --source TYPE=LOCATION} options, in the order given, registry
   * credentials from the environment (see {@link Repositories#parse(String, java.util.Map)}).
   */
  static List<Repository> repositories(CommandSpec spec, List<String> sources) {
    List<Repository> repositories = new ArrayList<>();
    for (String source : sources) {
      try {
        repositories.add(Repositories.parse(source));
      } catch (IllegalArgumentException e) {
        // The message starts with the spec: the option at fault, not an unexpected error.
        throw new ParameterException(spec.commandLine(), "--source " + e.getMessage());
      }
    }
    if (repositories.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "name at least one --source");
    }
    return repositories;
  }

  /** {@code airgap deps lock}. */
  @Command(
      name = "lock",
      description = "Fetch every artifact of a spec from the sources and write the lockfile.")
  static final class Lock implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--spec", required = true, description = "The dependency spec (JSON).")
    Path specFile;

    @Option(
        names = "--out",
        required = true,
        description = "The lockfile to write (airgap.lock.json).")
    Path out;

    @Option(
        names = "--source",
        required = true,
        description =
            "TYPE=LOCATION, tried in order: maven=URL|PATH, directory=PATH, huggingface=PATH,"
                + " oci=URL (credentials from "
                + Repositories.REGISTRY_USER
                + " and "
                + Repositories.REGISTRY_PASSWORD
                + " for the host "
                + Repositories.REGISTRY_HOST
                + "),"
                + " oci-layout=PATH (repeatable).")
    List<String> sources = new ArrayList<>();

    @Option(
        names = "--files",
        description =
            "Where the fetched files are kept for 'bundle create' (default: FILES beside --out).")
    Path files;

    @Override
    public Integer call() {
      List<Repository> repositories = repositories(spec, sources);
      Path target =
          files != null ? files : out.toAbsolutePath().resolveSibling("airgap-deps-files");
      Lockfile lock = Locker.lock(DependencySpec.read(specFile), repositories, target);
      lock.write(out);
      for (LockedArtifact artifact : lock.artifacts()) {
        spec.commandLine()
            .getErr()
            .printf(
                "%s  %s  %d files, %d bytes%n",
                artifact.name(), artifact.kind().label(), artifact.files().size(), artifact.size());
      }
      spec.commandLine()
          .getErr()
          .println(
              "locked "
                  + lock.artifacts().size()
                  + " artifacts into "
                  + out
                  + "; files in "
                  + target);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap deps resolve}. */
  @Command(
      name = "resolve",
      description =
          "Check, with no network, that a content store holds exactly what a lock records.")
  static final class Resolve implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--lock", required = true, description = "The lockfile.")
    Path lock;

    @Option(names = "--store", required = true, description = "The content store directory.")
    Path store;

    @Option(names = "--materialize", description = "Also copy every artifact out under DIR/NAME/.")
    Path materialize;

    @Override
    public Integer call() {
      Lockfile locked = Lockfile.read(lock);
      ContentStore contentStore = ContentStore.open(store);
      List<LockedArtifact> resolved =
          materialize == null
              ? Resolver.resolve(locked, contentStore)
              : Resolver.materialize(locked, contentStore, materialize);
      spec.commandLine()
          .getErr()
          .println(
              "resolved "
                  + resolved.size()
                  + " artifacts from "
                  + store
                  + (materialize == null ? "" : " into " + materialize));
      return ExitCodes.OK;
    }
  }
}
