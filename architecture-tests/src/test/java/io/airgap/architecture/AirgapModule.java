package io.airgap.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One Maven module of the build, its compiled classes and, for a library, its module descriptor.
 *
 * @param directory the Maven module's directory name
 * @param name the JPMS module name (for a module without a descriptor: the name its jar declares as
 *     Automatic-Module-Name)
 * @param library whether it is a library module, which must have a {@code module-info.java}
 * @param dependsOn the airgap modules it may use (required or optional)
 */
record AirgapModule(String directory, String name, boolean library, Set<String> dependsOn) {
  /** Every module of the build whose classes are checked. */
  static final List<AirgapModule> ALL =
      List.of(
          library("airgap-core", "io.airgap.core"),
          library("airgap-audit", "io.airgap.audit", "io.airgap.core"),
          library("airgap-inference", "io.airgap.inference", "io.airgap.core"),
          library("airgap-drift", "io.airgap.drift", "io.airgap.core", "io.airgap.inference"),
          library("airgap-offline-deps", "io.airgap.deps", "io.airgap.core"),
          library(
              "airgap-metrics",
              "io.airgap.metrics",
              "io.airgap.core",
              "io.airgap.inference",
              "io.airgap.drift"),
          library(
              "airgap-test-support",
              "io.airgap.testing",
              "io.airgap.core",
              "io.airgap.audit",
              "io.airgap.inference"),
          application("airgap-cli", "io.airgap.cli"),
          application("samples", "io.airgap.samples"),
          application("benchmarks", "io.airgap.benchmarks"));

  private static AirgapModule library(String directory, String name, String... dependsOn) {
    return new AirgapModule(directory, name, true, Set.of(dependsOn));
  }

  /** A module that may use every library module, through exported packages only. */
  private static AirgapModule application(String directory, String name) {
    return new AirgapModule(directory, name, false, Set.of());
  }

  /** The build's root directory, given by the build. */
  static Path root() {
    return Path.of(System.getProperty("airgap.root", ".."));
  }

  /** The compiled main classes. */
  Path classes() {
    return root().resolve(directory).resolve("target/classes");
  }

  /** Whether this module may use {@code other} at all. */
  boolean mayUse(AirgapModule other) {
    return !library || dependsOn.contains(other.name);
  }

  /** The compiled module descriptor, for a library module. */
  Optional<ModuleDescriptor> descriptor() {
    Path file = classes().resolve("module-info.class");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Optional.of(ModuleDescriptor.read(in));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code packageName} of this module is exported to module {@code reader}. */
  boolean exports(String packageName, String reader) {
    return descriptor()
        .map(
            d ->
                d.exports().stream()
                    .anyMatch(
                        e ->
                            e.source().equals(packageName)
                                && (!e.isQualified() || e.targets().contains(reader))))
        .orElse(true);
  }
}
