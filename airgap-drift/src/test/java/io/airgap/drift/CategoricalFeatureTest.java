package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Categorical profiles over a frozen dictionary with an "other" bucket. */
class CategoricalFeatureTest {
  @Test
  void categorySeenOnlyInCurrentDataGoesToOther() {
    CategoricalFeature feature = new CategoricalFeature("country", List.of("de", "fr"));
    for (String value : new String[] {"de", "fr", "fr", "it", null}) {
      feature.add(value);
    }

    assertThat(feature.counts()).containsExactly(1, 2, 1);
    assertThat(feature.count()).isEqualTo(4);
    assertThat(feature.missing()).isEqualTo(1);
  }

  @Test
  void mergeAddsAndRefusesAnotherDictionary() {
    CategoricalFeature a = new CategoricalFeature("c", List.of("x", "y"));
    CategoricalFeature b = new CategoricalFeature("c", List.of("x", "y"));
    a.add("x");
    b.add("y");
    b.add(null);

    a.merge(b);

    assertThat(a.counts()).containsExactly(1, 1, 0);
    assertThat(a.missing()).isEqualTo(1);
    assertThatThrownBy(() -> a.merge(new CategoricalFeature("c", List.of("y", "x"))))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "cannot merge categorical feature c into c: only profiles with the same frozen dictionary add up");
    assertThat(a.counts()).containsExactly(1, 1, 0);
  }

  @Test
  void repeatedCategoryIsRefused() {
    assertThatThrownBy(() -> new CategoricalFeature("c", List.of("x", "x")))
        .isInstanceOf(FormatException.class)
        .hasMessage("category 'x' of feature c is listed twice");
  }
}
