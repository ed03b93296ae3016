package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The options builder refuses nulls and a method given twice, at the call. */
class DriftOptionsBuilderTest {
  @Test
  void aMethodGivenTwiceForOneFeatureIsRefused() {
    DriftOptions.Builder builder = DriftOptions.builder().method("age", DriftMethod.PSI);

    assertThatThrownBy(() -> builder.method("age", DriftMethod.KS))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("method of feature age is already given; give it once");
  }

  @Test
  void nullsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> DriftOptions.builder().smoothing(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("smoothing");
    assertThatThrownBy(() -> DriftOptions.builder().method("age", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("method of feature age");
  }

  @Test
  void aThresholdAfterAMethodKeepsTheMethod() {
    DriftOptions options =
        DriftOptions.builder().method("age", DriftMethod.PSI).threshold("age", 0.2).build();

    assertThat(options.rule("age").orElseThrow().method()).isEqualTo(DriftMethod.PSI);
    assertThat(options.rule("age").orElseThrow().threshold()).isEqualTo(0.2);
  }
}
