package io.airgap.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Live rows in tumbling windows, from many threads, none lost. */
class LiveProfileTest {
  private static DriftProfile reference() {
    return DriftProfile.builder()
        .bins(2)
        .exactLimit(1_000)
        .maxCategories(10)
        .numeric("age", new double[] {20, 30, 40, 50})
        .categorical("kind", new String[] {"a", "b"})
        .build();
  }

  @Test
  void countWindowsCloseEveryNRowsFromManyThreads() throws Exception {
    List<LiveProfile.Window> windows = Collections.synchronizedList(new ArrayList<>());
    LiveProfile live = LiveProfile.everyRows(reference(), 1_000, windows::add);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 2_500; i++) {
                  live.add(Map.of("age", 35.0, "kind", "a"));
                }
              });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(windows).hasSize(10);
    for (LiveProfile.Window window : windows) {
      assertThat(window.rows()).isEqualTo(1_000);
      assertThat(window.profile().numeric("age").count()).isEqualTo(1_000);
      assertThat(window.profile().categorical("kind").counts()[0]).isEqualTo(1_000);
    }
  }

  @Test
  void timeWindowsCloseAtTheFirstRowAfterTheirSpan() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));
    Clock clock =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    List<LiveProfile.Window> windows = new ArrayList<>();
    LiveProfile live = LiveProfile.every(reference(), Duration.ofMinutes(5), clock, windows::add);
    Map<String, Object> missingAge = new java.util.HashMap<>();
    missingAge.put("age", null);
    missingAge.put("kind", "z");

    live.add(Map.of("age", 25.0, "kind", "b"));
    live.add(missingAge);
    now.set(now.get().plus(Duration.ofMinutes(6)));
    live.add(Map.of("age", 45.0));
    live.flush();

    assertThat(windows).hasSize(2);
    assertThat(windows.get(0).rows()).isEqualTo(2);
    assertThat(windows.get(0).profile().numeric("age").missing()).isEqualTo(1);
    assertThat(windows.get(0).profile().categorical("kind").counts()).containsExactly(0, 1, 1);
    assertThat(windows.get(1).rows()).isEqualTo(1);
    assertThat(windows.get(1).profile().categorical("kind").missing()).isEqualTo(1);
  }

  @Test
  void rowsWithUnknownFeaturesOrWrongKindsAreRefusedWhole() {
    List<LiveProfile.Window> windows = new ArrayList<>();
    LiveProfile live = LiveProfile.everyRows(reference(), 1, windows::add);

    assertThatThrownBy(() -> live.add(Map.of("height", 1.0)))
        .isInstanceOf(FormatException.class)
        .hasMessage("the profile has no feature height");
    assertThatThrownBy(() -> live.add(Map.of("age", "old", "kind", "a")))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature age expects a number, got String");
    assertThat(windows).isEmpty();
  }
}
