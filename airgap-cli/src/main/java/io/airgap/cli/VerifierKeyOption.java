package io.airgap.cli;

import io.airgap.audit.note.NoteException;
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
   * The key: the value itself when it parses as one ({@code name+id+key}), so a file planted where
   * the command runs can never stand in for a key the operator typed; otherwise the file it names.
   */
  NoteVerifier verifier() {
    if (value.contains("+")) {
      try {
        return NoteVerifier.parse(value);
      } catch (NoteException notAKey) {
        if (!namesAFile()) {
          throw notAKey;
        }
      }
    }
    return NoteVerifier.parse(AuditCommand.readText(Path.of(value)).trim());
  }

  private boolean namesAFile() {
    try {
      return Files.isRegularFile(Path.of(value));
    } catch (InvalidPathException e) {
      return false;
    }
  }
}
