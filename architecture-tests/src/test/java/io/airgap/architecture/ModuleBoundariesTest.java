package io.airgap.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.lang.module.ModuleDescriptor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries between airgap's modules, checked on the compiled classes of the whole build.
 * module-info.java makes the compiler keep them for module-path users; these rules keep them for
 * code compiled on the class path too (the CLI, samples, benchmarks, classpath applications).
 */
class ModuleBoundariesTest {
  private static final Map<String, AirgapModule> MODULE_OF_CLASS = new HashMap<>();
  private static JavaClasses classes;

  @BeforeAll
  static void importEveryModule() {
    List<java.nio.file.Path> paths = new ArrayList<>();
    for (AirgapModule module : AirgapModule.ALL) {
      assertThat(module.classes()).as("classes of " + module.directory()).isDirectory();
      for (JavaClass c : new ClassFileImporter().importPath(module.classes())) {
        MODULE_OF_CLASS.put(c.getName(), module);
      }
      paths.add(module.classes());
    }
    classes = new ClassFileImporter().importPaths(paths);
  }

  @Test
  void everyLibraryModuleHasADescriptorExportingNoInternalPackage() {
    for (AirgapModule module : AirgapModule.ALL) {
      Optional<ModuleDescriptor> descriptor = module.descriptor();
      if (!module.library()) {
        assertThat(descriptor).as(module.directory()).isEmpty();
        continue;
      }
      assertThat(descriptor).as("module-info of " + module.directory()).isPresent();
      assertThat(descriptor.get().name()).isEqualTo(module.name());
      descriptor.get().exports().stream()
          .filter(e -> e.source().contains(".internal"))
          .forEach(
              e ->
                  assertThat(e.isQualified())
                      .as(module.name() + " exports " + e.source() + " to everyone")
                      .isTrue());
    }
  }

  @Test
  void nothingReachesAPackageItsModuleIsNotExportedTo() {
    assertThat(violations(true)).isEmpty();
  }

  @Test
  void modulesUseOnlyTheModulesTheyDependOn() {
    assertThat(violations(false)).isEmpty();
  }

  /**
   * No cycle between packages. An internal package implements its module's API and so reads the
   * API's value types (a manifest, a digest) while the API calls into it: those edges from internal
   * code back to the API are the one exception, every other edge counts.
   */
  @Test
  void noPackageCycles() {
    slices()
        .matching("io.airgap.(**)")
        .should()
        .beFreeOfCycles()
        .ignoreDependency(
            resideInAPackage("..internal.."),
            DescribedPredicate.not(resideInAPackage("..internal..")))
        .check(classes);
  }

  /**
   * Dependencies that cross a module boundary wrongly: to a package not exported to the user
   * ({@code exports}), or to a module the user does not depend on.
   */
  private static List<String> violations(boolean exports) {
    TreeSet<String> found = new TreeSet<>();
    for (JavaClass origin : classes) {
      AirgapModule from = MODULE_OF_CLASS.get(origin.getName());
      for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
        JavaClass target = dependency.getTargetClass();
        AirgapModule to = MODULE_OF_CLASS.get(target.getName());
        if (from == null || to == null || from.equals(to)) {
          continue;
        }
        if (exports && !to.exports(target.getPackageName(), from.name())) {
          found.add(
              origin.getName()
                  + " uses "
                  + target.getName()
                  + ": package "
                  + target.getPackageName()
                  + " is not exported to "
                  + from.name());
        } else if (!exports && !from.mayUse(to)) {
          found.add(from.name() + " uses " + to.name() + " (" + origin.getName() + ")");
        }
      }
    }
    return new ArrayList<>(found);
  }
}
