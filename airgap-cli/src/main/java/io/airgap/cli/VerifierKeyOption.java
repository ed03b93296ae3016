package io.airgap.cli;

import io.airgap.audit.note.NoteVerifier;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --verifier-key}: an audit log's checkpoint verifier key, inline or in a file. */
final class VerifierKeyOption {
  @Option(
      names = "--verifier-key",
      required = true,
      description = "Verifier key (name+id+key), or a file holding it (NAME.vkey).")
  String value;

  /**
   * The key: read from the named file when one exists (whatever its name holds), else parsed inline
   * when it looks like a key ({@code name+id+key}), else the file that was meant is missing.
   */
  NoteVerifier verifier() {
    Path file = asPath();
    if (file != null && Files.isRegularFile(file) || !value.contains("+")) {
      return NoteVerifier.parse(AuditCommand.readText(Path.of(value)).trim());
    }
    return NoteVerifier.parse(value);
  }

  private Path asPath() {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      return null;
    }
  }
}
