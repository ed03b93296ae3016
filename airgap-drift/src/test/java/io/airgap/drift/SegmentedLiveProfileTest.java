package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drift is seen per segment, not averaged away. */
class SegmentedLiveProfileTest {
  @Test
  void eachSegmentHasItsOwnWindows() {
    DriftProfile reference =
        DriftProfile.builder()
            .bins(2)
            .exactLimit(100)
            .maxCategories(10)
            .numeric("age", new double[] {20, 30, 40, 50})
            .build();
    List<String> closed = new ArrayList<>();
    SegmentedLiveProfile live =
        SegmentedLiveProfile.everyRows(
            reference, 2, (segment, window) -> closed.add(segment + ":" + window.rows()));

    live.add("site-a", Map.of("age", 25.0));
    live.add("site-b", Map.of("age", 90.0));
    live.add("site-a", Map.of("age", 35.0));
    live.flush();

    assertThat(closed).containsExactly("site-a:2", "site-b:1");
    assertThat(live.segments()).containsExactlyInAnyOrder("site-a", "site-b");
  }
}
