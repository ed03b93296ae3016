package io.airgap.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;

/** Runs the {@code airgap} command in-process and captures what it printed. */
final class CommandRunner {
  private CommandRunner() {}

  /** The exit code and the two streams of one run. */
  record Result(int code, String out, String err) {}

  /** Runs the command with each argument turned into a string. */
  static Result run(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] strings = Stream.of(args).map(String::valueOf).toArray(String[]::new);
    int code = AirgapCommand.run(strings, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
