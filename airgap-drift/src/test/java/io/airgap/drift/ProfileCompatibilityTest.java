package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Profiles written before the typed API are read, compared and written back unchanged. */
class ProfileCompatibilityTest {
  private static final Path DIR = TestResources.resource("drift/profiles");
  private static final Path IRIS = TestResources.resource("drift/evidently");

  private static DriftProfile read(String name) throws Exception {
    return DriftProfile.of(ProfileCodec.parse(Files.readAllBytes(DIR.resolve(name)), name));
  }

  @Test
  void earlierProfilesAreWrittenBackByteForByte() throws Exception {
    for (String name : List.of("iris-reference-0.1.json", "iris-current-0.1.json")) {
      assertThat(ProfileCodec.write(read(name))).isEqualTo(Files.readAllBytes(DIR.resolve(name)));
    }
  }

  @Test
  void theSameCsvStillProfilesToTheSameBytes() throws Exception {
    DriftProfile reference =
        DriftProfile.builder()
            .maxCategories(100)
            .buildFromCsv(IRIS.resolve("iris-reference.csv"), List.of(), Set.of("species"));
    DriftProfile current = CsvProfiles.current(IRIS.resolve("iris-current.csv"), reference);

    assertThat(ProfileCodec.write(reference))
        .isEqualTo(Files.readAllBytes(DIR.resolve("iris-reference-0.1.json")));
    assertThat(ProfileCodec.write(current))
        .isEqualTo(Files.readAllBytes(DIR.resolve("iris-current-0.1.json")));
  }

  @Test
  void earlierProfilesCompareAsFreshOnes() throws Exception {
    List<FeatureDrift> drift =
        DriftDetector.compare(read("iris-reference-0.1.json"), read("iris-current-0.1.json"));

    assertThat(drift)
        .extracting(f -> f.feature() + " " + f.method().label() + " " + f.drifted())
        .containsExactly(
            "sepal_length ks true",
            "sepal_width ks false",
            "petal_length ks true",
            "petal_width ks true",
            "species chisquare true");
  }
}
