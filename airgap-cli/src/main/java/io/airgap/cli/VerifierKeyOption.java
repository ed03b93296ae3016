package io.airgap.cli;

import io.airgap.audit.note.NoteVerifier;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --verifier-key}: an audit log's checkpoint verifier key, inline or in a file. */
final class VerifierKeyOption {
  @Option(
      names = "--verifier-key",
      required = true,
      description = "Verifier key (name+id+key), or a file holding it (NAME.vkey).")
  String value;

  /** The key: parsed inline when it looks like one, else read from the named file. */
  NoteVerifier verifier() {
    if (value.contains("+")) {
      return NoteVerifier.parse(value);
    }
    return NoteVerifier.parse(AuditCommand.readText(Path.of(value)).trim());
  }
}
