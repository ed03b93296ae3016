package io.airgap.cli;

import io.airgap.deps.Progress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows a long operation's progress on one line of a terminal, at most five times a second: bytes
 * done and total, rate, and time left. When the output is not a terminal nothing is shown, so logs
 * and scripts stay quiet.
 */
final class TerminalProgress implements Progress {
  private static final long INTERVAL = 200_000_000L;

  private final PrintWriter err;
  private final LongSupplier nanos;
  private String what = "";
  private long total;
  private long done;
  private long started;
  private long shown;
  private boolean drawn;

  TerminalProgress(PrintWriter err, LongSupplier nanos) {
    this.err = err;
    this.nanos = nanos;
  }

  /** Progress on {@code err} when standard error is a terminal, else {@link Progress#NONE}. */
  static Progress forTerminal(PrintWriter err) {
    return stderrIsTerminal() ? new TerminalProgress(err, System::nanoTime) : Progress.NONE;
  }

  /**
   * Whether standard error, where progress goes, is a terminal. Java 17 tells only whether standard
   * input and output both are ({@link System#console()}), which is wrong for {@code 2>log}; where
   * {@code /proc} names the descriptor's target (Linux), that answers exactly.
   */
  static boolean stderrIsTerminal() {
    try {
      return isTerminalDevice(Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // No /proc (macOS, Windows): the closest Java 17 can tell is whether stdin and stdout are.
      return System.console() != null;
    }
  }

  /** Whether a device path is a terminal's: a pseudo-terminal, a tty or the console. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/")
        || target.startsWith("/dev/tty")
        || target.equals("/dev/console");
  }

  @Override
  public void start(String operation, long totalBytes) {
    what = operation;
    total = totalBytes;
    done = 0;
    started = nanos.getAsLong();
    shown = started;
  }

  @Override
  public void advance(long bytes) {
    done += bytes;
    long now = nanos.getAsLong();
    if (now - shown >= INTERVAL) {
      shown = now;
      err.print("\r" + line(what, done, total, now - started));
      err.flush();
      drawn = true;
    }
  }

  /** Printed on a line of its own, below the progress line drawn so far. */
  @Override
  public void note(String message) {
    if (drawn) {
      err.print("\n");
      drawn = false;
    }
    err.println(message);
    err.flush();
  }

  @Override
  public void finish() {
    if (drawn) {
      err.print("\r" + line(what, done, total, nanos.getAsLong() - started) + "\n");
      err.flush();
      drawn = false;
    }
  }

  /** For example {@code bundle b.tar 1.2 GiB / 4.0 GiB 310 MiB/s 0:09 left}. */
  static String line(String what, long done, long total, long elapsedNanos) {
    double seconds = Math.max(elapsedNanos / 1e9, 1e-9);
    double rate = done / seconds;
    long left = rate <= 0 ? 0 : (long) Math.ceil((total - done) / rate);
    return String.format(
        Locale.ROOT,
        "%s  %s / %s  %s/s  %d:%02d left",
        what,
        bytes(done),
        bytes(total),
        bytes((long) rate),
        left / 60,
        left % 60);
  }

  static String bytes(long value) {
    if (value < 1024) {
      return value + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double scaled = value;
    int unit = -1;
    while (scaled >= 1024 && unit < units.length - 1) {
      scaled /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", scaled, units[unit]);
  }
}
