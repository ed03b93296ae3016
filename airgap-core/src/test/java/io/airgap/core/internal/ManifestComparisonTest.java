package io.airgap.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ManifestDifferences;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of change after signing shows up in the differences, named. */
class ManifestComparisonTest {
  @TempDir Path temp;

  private static ManifestDifferences compare(Manifest manifest, Path model, boolean unsigned) {
    return ManifestComparison.compare(manifest, model, List.of(), unsigned, 2);
  }

  @Test
  void unchangedModelHasNoDifference() {
    Path model = TestModels.smallModel(temp);
    Manifest manifest = ModelHasher.builder().build().hash(model, List.of());

    ManifestDifferences differences = compare(manifest, model, false);

    assertThat(differences.isEmpty()).isTrue();
    assertThat(differences.resourcesChecked()).isEqualTo(3);
  }

  @Test
  void extendedFileIsModified() throws Exception {
    Path model = TestModels.smallModel(temp);
    Manifest manifest = ModelHasher.builder().build().hash(model, List.of());
    Files.writeString(model.resolve("config.json"), " ", java.nio.file.StandardOpenOption.APPEND);

    assertThat(compare(manifest, model, false).modifiedFiles()).containsExactly("config.json");
  }

  @Test
  void renamedFileIsMissingAndExtra() throws Exception {
    Path model = TestModels.smallModel(temp);
    Manifest manifest = ModelHasher.builder().build().hash(model, List.of());
    Files.move(model.resolve("config.json"), model.resolve("config.old"));

    ManifestDifferences differences = compare(manifest, model, false);

    assertThat(differences.missingFiles()).containsExactly("config.json");
    assertThat(differences.extraFiles()).containsExactly("config.old");
  }

  @Test
  void directoryWhereAFileWasSignedIsMissing() throws Exception {
    Path model = TestModels.smallModel(temp);
    Manifest manifest = ModelHasher.builder().build().hash(model, List.of());
    Files.delete(model.resolve("config.json"));
    TestModels.write(model, "config.json/inner", "x");

    ManifestDifferences differences = compare(manifest, model, false);
    ManifestDifferences signedOnly = compare(manifest, model, true);

    assertThat(differences.missingFiles()).containsExactly("config.json");
    assertThat(differences.extraFiles()).containsExactly("config.json/inner");
    assertThat(signedOnly.missingFiles()).containsExactly("config.json");
    assertThat(signedOnly.extraFiles()).isEmpty();
  }

  @Test
  void ignoreUnsignedFilesHashesOnlySignedNames() {
    Path model = TestModels.smallModel(temp);
    Manifest manifest = ModelHasher.builder().build().hash(model, List.of());
    TestModels.write(model, "notes.txt", "unsigned");

    assertThat(compare(manifest, model, true).isEmpty()).isTrue();
    assertThat(compare(manifest, model, false).extraFiles()).containsExactly("notes.txt");
  }

  @Test
  void symlinkSwappedInForASignedFileIsReportedAsRefused() throws Exception {
    Path model = TestModels.smallModel(temp);
    Manifest manifest = ModelHasher.builder().build().hash(model, List.of());
    Path copy =
        TestModels.write(temp, "elsewhere.json", Files.readString(model.resolve("config.json")));
    Files.delete(model.resolve("config.json"));
    Files.createSymbolicLink(model.resolve("config.json"), copy);
    String refusal =
        "'config.json' is a symbolic link; links are refused unless allowed (allowSymlinks)";

    ManifestDifferences signedOnly = compare(manifest, model, true);
    ManifestDifferences everything = compare(manifest, model, false);

    assertThat(signedOnly.refusedEntries()).containsExactly(refusal);
    assertThat(signedOnly.missingFiles()).isEmpty();
    assertThat(signedOnly.isEmpty()).isFalse();
    assertThat(everything.refusedEntries()).containsExactly(refusal);
    assertThat(everything.missingFiles()).isEmpty();
  }

  @Test
  void nfdTwinOfASignedFileCannotHideBehindIt() throws Exception {
    Path model = temp.resolve("m");
    TestModels.write(model, "caf\u00e9.bin", "signed");
    Manifest manifest = ModelHasher.builder().build().hash(model, List.of());
    TestModels.write(model, "cafe\u0301.bin", "unsigned twin");

    ManifestDifferences differences = compare(manifest, model, false);

    assertThat(differences.isEmpty()).isFalse();
    assertThat(differences.refusedEntries())
        .containsExactly(
            "'caf\u00e9.bin' has the same name as 'cafe\u0301.bin' after Unicode NFC normalisation");
  }

  @Test
  void rootDigestIsSha256OfConcatenatedDigestsInListedOrder() {
    Path model = TestModels.smallModel(temp);
    Manifest manifest =
        ModelHasher.builder()
            .hashAlgorithm(io.airgap.core.digest.HashAlgorithm.BLAKE2B)
            .build()
            .hash(model, List.of());
    java.io.ByteArrayOutputStream concatenated = new java.io.ByteArrayOutputStream();
    manifest.resources().forEach(r -> concatenated.writeBytes(r.digest().bytes()));

    assertThat(concatenated.size()).isEqualTo(3 * 64);
    assertThat(manifest.rootDigest())
        .isEqualTo(io.airgap.core.digest.HashAlgorithm.SHA256.hash(concatenated.toByteArray()));
  }
}
