package io.airgap.drift;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One {@link LiveProfile} per segment (a site, a model version, a customer tier), so drift is seen
 * where it happens rather than averaged away. Each segment's windows close on their own.
 * Thread-safe.
 */
public final class SegmentedLiveProfile {
  private final Function<String, LiveProfile> factory;
  private final Map<String, LiveProfile> segments = new ConcurrentHashMap<>();

  /**
   * Segments with windows of {@code rows} rows; the listener receives the segment key and the
   * closed window.
   */
  public static SegmentedLiveProfile everyRows(
      DriftProfile reference, long rows, BiConsumer<String, LiveProfile.Window> onClose) {
    Objects.requireNonNull(onClose, "onClose");
    return new SegmentedLiveProfile(
        segment ->
            LiveProfile.everyRows(reference, rows, window -> onClose.accept(segment, window)));
  }

  private SegmentedLiveProfile(Function<String, LiveProfile> factory) {
    this.factory = factory;
  }

  /** Records a row in its segment's live profile, creating the segment on first use. */
  public void add(String segment, Map<String, ?> row) {
    segments.computeIfAbsent(Objects.requireNonNull(segment, "segment"), factory).add(row);
  }

  /** Closes every segment's current window. */
  public void flush() {
    segments.values().forEach(LiveProfile::flush);
  }

  /** The segments seen so far. */
  public java.util.Set<String> segments() {
    return java.util.Set.copyOf(segments.keySet());
  }
}
