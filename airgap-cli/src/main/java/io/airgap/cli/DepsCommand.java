package io.airgap.cli;

import io.airgap.deps.ContentStore;
import io.airgap.deps.DependencySpec;
import io.airgap.deps.DirectoryMirror;
import io.airgap.deps.HuggingFaceCache;
import io.airgap.deps.LockedArtifact;
import io.airgap.deps.Locker;
import io.airgap.deps.Lockfile;
import io.airgap.deps.MavenRepository;
import io.airgap.deps.Repository;
import io.airgap.deps.Resolver;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
   * Repositories from {@code --source TYPE=LOCATION} options, in the order given: {@code
   * maven=URL}, {@code directory=PATH}, {@code huggingface=PATH}.
   */
  static List<Repository> repositories(CommandSpec spec, List<String> sources) {
    List<Repository> repositories = new ArrayList<>();
    for (String source : sources) {
      int equals = source.indexOf('=');
      if (equals < 1) {
        throw new ParameterException(
            spec.commandLine(), "--source must be TYPE=LOCATION, not " + source);
      }
      String type = source.substring(0, equals);
      String location = source.substring(equals + 1);
      try {
        repositories.add(repository(spec, type, location));
      } catch (IllegalArgumentException e) {
        // URI syntax, an unsupported scheme: the option at fault, not an unexpected error.
        throw new ParameterException(
            spec.commandLine(), "--source " + source + ": " + e.getMessage());
      }
    }
    if (repositories.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "name at least one --source");
    }
    return repositories;
  }

  private static Repository repository(CommandSpec spec, String type, String location) {
    return switch (type) {
      case "maven" ->
          new MavenRepository(
              location.contains(":") && !location.startsWith("/")
                  ? URI.create(location)
                  : Path.of(location).toUri(),
              Duration.ofSeconds(30));
      case "directory" -> new DirectoryMirror(Path.of(location));
      case "huggingface" -> new HuggingFaceCache(Path.of(location));
      case "oci" -> registry(URI.create(location), System.getenv());
      case "oci-layout" -> new io.airgap.deps.OciLayout(Path.of(location));
      default ->
          throw new ParameterException(
              spec.commandLine(),
              "--source type must be maven, directory, huggingface, oci or oci-layout, not "
                  + type);
    };
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
                + " oci=URL (credentials from AIRGAP_REGISTRY_USER and AIRGAP_REGISTRY_PASSWORD for"
                + " the host AIRGAP_REGISTRY_HOST),"
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

  /** The environment variables that give an OCI registry's credentials (a Harbor robot account). */
  static final String REGISTRY_USER = "AIRGAP_REGISTRY_USER";

  /** The registry password's variable; {@value #REGISTRY_USER} must be set with it. */
  static final String REGISTRY_PASSWORD = "AIRGAP_REGISTRY_PASSWORD";

  /** The one registry host the credentials are for, required with them. */
  static final String REGISTRY_HOST = "AIRGAP_REGISTRY_HOST";

  /**
   * An OCI registry, with the credentials of {@value #REGISTRY_USER} and {@value
   * #REGISTRY_PASSWORD} when both are set and the registry's host is {@value #REGISTRY_HOST} (the
   * environment keeps the password off the command line and out of the process list; naming the
   * host keeps it from other registries among the sources), anonymous otherwise.
   *
   * @throws io.airgap.core.InputException when credentials are set without {@value #REGISTRY_HOST}
   */
  static io.airgap.deps.OciRegistry registry(URI location, Map<String, String> environment) {
    String user = environment.get(REGISTRY_USER);
    String password = environment.get(REGISTRY_PASSWORD);
    if (user != null && password != null) {
      String host = environment.get(REGISTRY_HOST);
      if (host == null || host.isEmpty()) {
        throw new io.airgap.core.InputException(
            REGISTRY_USER
                + " and "
                + REGISTRY_PASSWORD
                + " are set without "
                + REGISTRY_HOST
                + ", the registry host they are for");
      }
      if (host.equalsIgnoreCase(location.getHost())) {
        return new io.airgap.deps.OciRegistry(location, Duration.ofSeconds(30), user, password);
      }
    }
    return new io.airgap.deps.OciRegistry(location, Duration.ofSeconds(30));
  }
}
