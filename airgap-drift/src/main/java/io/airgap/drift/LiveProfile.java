package io.airgap.drift;

import io.airgap.core.FormatException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Profiles live rows against a reference's frozen bins, in tumbling windows: a window closes after
 * a number of rows or a span of time, is handed to a listener (typically a drift comparison), and a
 * fresh one starts. Thread-safe: many threads may add rows; each row is recorded whole in one
 * window.
 */
public final class LiveProfile {
  private final DriftProfile reference;
  private final long windowRows;
  private final Duration windowTime;
  private final Clock clock;
  private final Consumer<Window> onClose;
  private final Map<String, Predicate<Object>> accepts = new HashMap<>();
  private final List<String> names;
  private DriftProfile current;
  private List<Consumer<Object>> recorders;
  private long rows;
  private Instant opened;

  /**
   * A closed window.
   *
   * @param profile what the window's rows looked like
   * @param rows how many rows it holds
   * @param opened when its first row could arrive
   * @param closed when it closed
   */
  public record Window(DriftProfile profile, long rows, Instant opened, Instant closed) {}

  private LiveProfile(
      DriftProfile reference,
      long windowRows,
      Duration windowTime,
      Clock clock,
      Consumer<Window> onClose) {
    this.reference = reference;
    this.windowRows = windowRows;
    this.windowTime = windowTime;
    this.clock = clock;
    this.onClose = onClose;
    this.names = reference.names();
    reference.features().forEach(f -> accepts.put(f.name(), ReferenceProfiles.accepts(f)));
    open(reference.newLive());
    this.opened = clock.instant();
  }

  /** Starts recording into a fresh window's profile. */
  private void open(DriftProfile profile) {
    current = profile;
    recorders = ReferenceProfiles.recorders(profile);
  }

  /** Windows of {@code rows} rows each. */
  public static LiveProfile everyRows(DriftProfile reference, long rows, Consumer<Window> onClose) {
    if (rows < 1) {
      throw new IllegalArgumentException("a window needs at least one row, got " + rows);
    }
    return new LiveProfile(
        reference, rows, null, Clock.systemUTC(), Objects.requireNonNull(onClose));
  }

  /** Windows of {@code span} each, by {@code clock}; a window closes at the first row after it. */
  public static LiveProfile every(
      DriftProfile reference, Duration span, Clock clock, Consumer<Window> onClose) {
    if (span.isZero() || span.isNegative()) {
      throw new IllegalArgumentException("a window needs a positive span, got " + span);
    }
    return new LiveProfile(reference, Long.MAX_VALUE, span, clock, Objects.requireNonNull(onClose));
  }

  /**
   * Records one row: numbers for numeric features, strings for categorical ones, null or absent for
   * missing values.
   *
   * @throws FormatException naming a feature the reference does not have, or a value of the wrong
   *     kind; the row is not recorded then
   */
  public void add(Map<String, ?> row) {
    Window closed = null;
    synchronized (this) {
      check(row);
      // Row-count windows read the clock only when one closes, not on every row.
      Instant now = windowTime == null ? null : clock.instant();
      if (now != null && !now.isBefore(opened.plus(windowTime)) && rows > 0) {
        closed = close(now);
      }
      for (int i = 0; i < recorders.size(); i++) {
        recorders.get(i).accept(row.get(names.get(i)));
      }
      rows++;
      if (rows >= windowRows) {
        closed = close(now != null ? now : clock.instant());
      }
    }
    if (closed != null) {
      onClose.accept(closed);
    }
  }

  /** Closes the current window now, if it holds any row, and hands it to the listener. */
  public void flush() {
    Window closed = null;
    synchronized (this) {
      if (rows > 0) {
        closed = close(clock.instant());
      }
    }
    if (closed != null) {
      onClose.accept(closed);
    }
  }

  private Window close(Instant now) {
    Window window = new Window(current, rows, opened, now);
    open(reference.newLive());
    rows = 0;
    opened = now;
    return window;
  }

  private void check(Map<String, ?> row) {
    for (Map.Entry<String, ?> entry : row.entrySet()) {
      Predicate<Object> kind = accepts.get(entry.getKey());
      if (kind == null) {
        throw new FormatException("the profile has no feature " + entry.getKey());
      }
      Object value = entry.getValue();
      if (value != null && !kind.test(value)) {
        throw new FormatException(
            "feature "
                + entry.getKey()
                + " expects a "
                + ReferenceProfiles.expects(reference.feature(entry.getKey()))
                + ", got "
                + value.getClass().getSimpleName());
      }
    }
  }
}
