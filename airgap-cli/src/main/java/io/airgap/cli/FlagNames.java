package io.airgap.cli;

import java.util.Map;

/**
 * Library messages name the API setting an operator can change, in parentheses ({@code
 * (modelVersion)}); on the command line that setting is a flag, so messages are shown with the flag
 * instead.
 */
final class FlagNames {
  private static final Map<String, String> FLAG_OF_SETTING =
      Map.of(
          "(modelVersion)", "(--model-version)",
          "(allowEd25519)", "(--allow-ed25519)",
          "(allowSymlinks)", "(--allow-symlinks)");

  private FlagNames() {}

  /** {@code message} with every API setting named in parentheses replaced by its flag. */
  static String forCommandLine(String message) {
    String text = message;
    for (Map.Entry<String, String> setting : FLAG_OF_SETTING.entrySet()) {
      text = text.replace(setting.getKey(), setting.getValue());
    }
    return text;
  }
}
