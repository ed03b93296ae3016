package io.airgap.cli;

import io.airgap.core.AirgapException;
import io.airgap.core.VerificationException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code airgap} command: keys, signing, verification and digests of models. */
@Command(
    name = "airgap",
    mixinStandardHelpOptions = true,
    versionProvider = AirgapCommand.Version.class,
    description = "Sign, verify and carry AI models across an air gap.",
    subcommands = {
      KeyCommand.class,
      AuditCommand.class,
      DriftCommand.class,
      PolicyCommand.class,
      SignCommand.class,
      VerifyCommand.class,
      DigestCommand.class,
      ModelCommand.class,
      RunCommand.class,
      DoctorCommand.class,
      DepsCommand.class,
      BundleCommand.class,
      StoreCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AirgapCommand {
  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = run(args, out, err);
    System.exit(flushed(code, out, err));
  }

  /**
   * Flushes what a command printed without a line end (System.exit would drop it) and turns a
   * failed write to standard output into exit 3: PrintWriter and PrintStream only record errors.
   */
  static int flushed(int code, PrintWriter out, PrintWriter err) {
    boolean outFailed = out.checkError() || System.out.checkError();
    if (outFailed) {
      err.println(
          "airgap: cannot write to standard output (disk full or closed); nothing more was printed");
    }
    err.flush();
    return outFailed ? ExitCodes.INPUT_OR_FORMAT : code;
  }

  /** Runs the command with the given streams and returns its exit code, for tests and hosts. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(new AirgapCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(
        (exception, line, parseResult) -> {
          line.getErr().println("airgap: " + describe(exception));
          return exitCode(exception);
        });
    return commandLine.execute(args);
  }

  static int exitCode(Exception exception) {
    if (exception instanceof VerificationException) {
      return ExitCodes.VERIFICATION_FAILED;
    }
    return ExitCodes.INPUT_OR_FORMAT;
  }

  /** The message, or for an unexpected exception without one, what it was. */
  static String describe(Exception exception) {
    if (exception instanceof AirgapException && exception.getMessage() != null) {
      return FlagNames.forCommandLine(exception.getMessage());
    }
    return "unexpected error: " + exception;
  }

  /** Reports the version recorded in the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = AirgapCommand.class.getPackage().getImplementationVersion();
      return new String[] {"airgap " + (version == null ? "(development build)" : version)};
    }
  }
}
