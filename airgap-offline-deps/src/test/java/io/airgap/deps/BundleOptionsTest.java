package io.airgap.deps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The options of create, verify and import: nulls and conflicts refused where they are set. */
class BundleOptionsTest {
  private static final Path FILES = Path.of("airgap-deps-files");
  private static final Repository MIRROR = new DirectoryMirror(Path.of("mirror"));
  private static final PublicKey KEY = Pem.generate(KeyType.ED25519).publicKey();

  @Test
  void filesAndRepositoriesConflictWhicheverComesSecond() {
    assertThatThrownBy(() -> BundleOptions.builder().files(FILES).repositories(List.of(MIRROR)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "repositories conflicts with files: the bundle's files come from one or the other");
    assertThatThrownBy(() -> BundleOptions.builder().repositories(List.of(MIRROR)).files(FILES))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "files conflicts with repositories: the bundle's files come from one or the other");
  }

  @Test
  void aBundleNeedsWhereItsFilesComeFrom() {
    assertThatThrownBy(() -> BundleOptions.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set files or repositories: where the bundle's files come from");
  }

  @Test
  void aWorkDirectoryNeedsASplitSize() {
    assertThatThrownBy(
            () -> BundleOptions.builder().files(FILES).workDirectory(Path.of("work")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("workDirectory applies only with splitSize");
  }

  @Test
  void nullsAndBadValuesAreRefusedNamingTheSetting() {
    BundleOptions.Builder builder = BundleOptions.builder();

    assertThatThrownBy(() -> builder.files(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("files must not be null");
    assertThatThrownBy(() -> builder.repositories(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("repositories must name at least one repository, and no null");
    assertThatThrownBy(() -> builder.repositories(Arrays.asList(MIRROR, null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("repositories must name at least one repository, and no null");
    assertThatThrownBy(() -> builder.splitSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("splitSize must be positive, not 0");
    assertThatThrownBy(() -> builder.created(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("created must not be null");
    assertThatThrownBy(() -> builder.workDirectory(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("workDirectory must not be null");
    assertThatThrownBy(() -> builder.progress(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("progress must not be null (Progress.NONE tells nothing)");
  }

  @Test
  void theOptionsHoldWhatWasSet() {
    Instant monday = Instant.parse("2026-11-23T09:00:00Z");

    BundleOptions options =
        BundleOptions.builder()
            .repositories(List.of(MIRROR))
            .created(monday)
            .splitSize(700L << 20)
            .workDirectory(Path.of("work"))
            .build();

    assertThat(options.files()).isEmpty();
    assertThat(options.repositories()).containsExactly(MIRROR);
    assertThat(options.created()).contains(monday);
    assertThat(options.partSize()).isEqualTo(700L << 20);
    assertThat(options.workDirectory()).contains(Path.of("work"));
    assertThat(options.progress()).isSameAs(Progress.NONE);
  }

  @Test
  void verifyOptionsDefaultToAnyAgeAndNoProgressAndRefuseNulls() {
    BundleAge week = BundleAge.atMost(Duration.ofDays(7));

    assertThat(VerifyOptions.defaults().age()).isEmpty();
    assertThat(VerifyOptions.defaults().progress()).isSameAs(Progress.NONE);
    assertThat(VerifyOptions.builder().age(week).build().age()).contains(week);
    assertThatThrownBy(() -> VerifyOptions.builder().age(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("age must not be null (leave it unset for any age)");
    assertThatThrownBy(() -> VerifyOptions.builder().progress(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("progress must not be null (Progress.NONE tells nothing)");
  }

  @Test
  void everyOperationRefusesMissingOptions() {
    assertThatThrownBy(() -> Bundles.create(new Lockfile(List.of()), null, Path.of("b.tar"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("key must not be null");
    assertThatThrownBy(() -> Bundles.verify(Path.of("b.tar"), KEY, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("options must not be null");
    assertThatThrownBy(() -> Bundles.importInto(Path.of("b.tar"), KEY, Path.of("store"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("options must not be null");
  }
}
