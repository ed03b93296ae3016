package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reference profiles from CSV: missing and invalid cells counted, bad files refused by line. */
class CsvProfilesTest {
  @TempDir Path temp;

  private DriftProfile profile(String csv, List<String> columns) throws Exception {
    Path file = Files.writeString(temp.resolve("ref.csv"), csv);
    return DriftProfile.builder()
        .bins(4)
        .exactLimit(100)
        .maxCategories(10)
        .buildFromCsv(file, columns, Set.of("country"));
  }

  @Test
  void cellsAreNumbersMissingOrInvalid() throws Exception {
    DriftProfile profile =
        profile(
            "age,country,note\n20,de,x\n30,\"fr\",y\n,de,z\nforty,it,w\n50,,v\nNaN,de,u\n",
            List.of("age", "country"));

    NumericFeature age = profile.numeric("age");
    CategoricalFeature country = profile.categorical("country");
    assertThat(age.count()).isEqualTo(3);
    assertThat(age.missing()).isEqualTo(1);
    assertThat(age.invalid()).isEqualTo(1);
    assertThat(age.nan()).isEqualTo(1);
    assertThat(country.dictionary()).containsExactly("de", "fr", "it");
    assertThat(country.missing()).isEqualTo(1);
    assertThat(profile.features()).hasSize(2);
    NumericFeature read =
        (NumericFeature)
            ProfileCodec.parse(ProfileCodec.write(profile.features()), "ref.json").get(0);
    assertThat(read.invalid()).isEqualTo(1);
  }

  @Test
  void raggedRowIsRefusedWithItsLine() {
    assertThatThrownBy(() -> profile("age,country\n20,de\n30\n", List.of()))
        .isInstanceOf(FormatException.class)
        .hasMessage("CSV " + temp.resolve("ref.csv") + " line 3 has 1 fields, the header has 2");
  }

  @Test
  void emptyFileAndUnknownColumnAreRefused() {
    assertThatThrownBy(() -> profile("", List.of()))
        .isInstanceOf(FormatException.class)
        .hasMessage("CSV " + temp.resolve("ref.csv") + " is empty: it needs a header row and data");
    assertThatThrownBy(() -> profile("age\n1\n", List.of("height")))
        .isInstanceOf(FormatException.class)
        .hasMessage("CSV " + temp.resolve("ref.csv") + " has no column height");
  }

  @Test
  void numericColumnWithoutAnyNumberIsRefused() {
    assertThatThrownBy(() -> profile("age\nold\n\n", List.of()))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "CSV "
                + temp.resolve("ref.csv")
                + " column age has no finite number to freeze bins from");
  }
}
