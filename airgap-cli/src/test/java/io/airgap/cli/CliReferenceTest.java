package io.airgap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * docs/cli.md carries every command's help, generated from the commands themselves, so the page
 * cannot fall behind them. After changing a command, regenerate it with {@code mvn -pl airgap-cli
 * test -Dtest=CliReferenceTest -Dairgap.regenerateDocs=true}.
 */
class CliReferenceTest {
  private static final Path PAGE = Path.of("..", "docs", "cli.md");
  private static final String BEGIN = "<!-- generated: every command's help -->\n";
  private static final String END = "<!-- end of generated help -->\n";

  /** The help of every command and subcommand, depth first, as Markdown sections. */
  static String reference() {
    StringBuilder out = new StringBuilder();
    append(out, new CommandLine(new AirgapCommand()), 2);
    return out.toString();
  }

  private static void append(StringBuilder out, CommandLine command, int level) {
    String name = command.getCommandSpec().qualifiedName();
    if (name.endsWith(" help")) {
      return;
    }
    command.getCommandSpec().usageMessage().width(100);
    out.append("#".repeat(level))
        .append(" `")
        .append(name)
        .append("`\n\n```\n")
        .append(command.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing())
        .append("\n```\n\n");
    for (CommandLine sub : command.getSubcommands().values()) {
      append(out, sub, level + 1);
    }
  }

  @Test
  void thePageCarriesTheHelpOfEveryCommand() throws Exception {
    String expected = reference();
    if (Boolean.getBoolean("airgap.regenerateDocs")) {
      String page = Files.readString(PAGE, StandardCharsets.UTF_8);
      Files.writeString(
          PAGE,
          page.substring(0, page.indexOf(BEGIN) + BEGIN.length())
              + expected
              + page.substring(page.indexOf(END)),
          StandardCharsets.UTF_8);
    }
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    int begin = page.indexOf(BEGIN);
    int end = page.indexOf(END);

    assertThat(begin).as("generated section start in " + PAGE).isNotNegative();
    assertThat(end).as("generated section end in " + PAGE).isGreaterThan(begin);
    assertThat(page.substring(begin + BEGIN.length(), end)).isEqualTo(expected);
  }
}
