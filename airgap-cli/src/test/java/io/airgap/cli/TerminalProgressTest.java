package io.airgap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One progress line on a terminal, redrawn at most five times a second. */
class TerminalProgressTest {
  @Test
  void showsBytesRateAndTimeLeft() {
    assertThat(TerminalProgress.line("bundle b.tar", 1L << 30, 4L << 30, 4_000_000_000L))
        .isEqualTo("bundle b.tar  1.0 GiB / 4.0 GiB  256.0 MiB/s  0:12 left");
    assertThat(TerminalProgress.bytes(512)).isEqualTo("512 B");
  }

  @Test
  void redrawsAtMostFiveTimesASecondAndEndsTheLine() {
    StringWriter out = new StringWriter();
    AtomicLong clock = new AtomicLong();
    TerminalProgress progress = new TerminalProgress(new PrintWriter(out), clock::get);

    progress.start("import", 1000);
    for (int i = 0; i < 10; i++) {
      clock.addAndGet(50_000_000L); // 50 ms
      progress.advance(100);
    }
    progress.finish();

    // 500 ms in steps of 50 ms: drawn at 200 and 400 ms, then the final line.
    assertThat(out.toString().split("\r", -1)).hasSize(4);
    assertThat(out.toString()).endsWith("\rimport  1000 B / 1000 B  2.0 KiB/s  0:00 left\n");
  }

  @Test
  void aNoteGoesOnItsOwnLineBelowTheProgressLine() {
    StringWriter out = new StringWriter();
    AtomicLong clock = new AtomicLong();
    TerminalProgress progress = new TerminalProgress(new PrintWriter(out), clock::get);

    progress.note("waiting for another process writing content store s (it holds s/.lock)");
    progress.start("import", 1000);
    clock.addAndGet(250_000_000L);
    progress.advance(500);
    progress.note("a second note");

    assertThat(out.toString())
        .isEqualTo(
            "waiting for another process writing content store s (it holds s/.lock)"
                + System.lineSeparator()
                + "\rimport  500 B / 1000 B  2.0 KiB/s  0:01 left\n"
                + "a second note"
                + System.lineSeparator());
  }

  @Test
  void onlyTerminalDevicesCountAsTerminals() {
    assertThat(TerminalProgress.isTerminalDevice("/dev/pts/3")).isTrue();
    assertThat(TerminalProgress.isTerminalDevice("/dev/tty1")).isTrue();
    assertThat(TerminalProgress.isTerminalDevice("/dev/null")).isFalse();
    assertThat(TerminalProgress.isTerminalDevice("/var/log/import.log")).isFalse();
    assertThat(TerminalProgress.isTerminalDevice("pipe:[48213]")).isFalse();
  }
}
