package io.airgap.cli;

import io.airgap.audit.AuditLog;
import io.airgap.audit.AuditLogReader;
import io.airgap.audit.AuditVerifier;
import io.airgap.audit.Checkpoint;
import io.airgap.audit.TlogProof;
import io.airgap.audit.note.NoteSigner;
import io.airgap.audit.tree.Rfc6962;
import io.airgap.core.AtomicFiles;
import io.airgap.core.InputException;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap audit}: the tamper-evident audit log. */
@Command(
    name = "audit",
    description = "Write, verify and prove entries of a tamper-evident audit log.",
    subcommands = {
      AuditCommand.Init.class,
      AuditCommand.Append.class,
      AuditCommand.Verify.class,
      AuditCommand.Prove.class,
      AuditCommand.VerifyProof.class,
      AuditCommand.Consistency.class,
      AuditCommand.Export.class
    })
final class AuditCommand {
  private AuditCommand() {}

  /** A range the command line asks for must lie within the log: else it is a usage error. */
  static void requireRange(CommandSpec spec, long from, long to, AuditLogReader reader) {
    long size = reader.checkpoint().size();
    if (from < 0 || to <= from || to > size) {
      throw new ParameterException(
          spec.commandLine(),
          "entries [" + from + ", " + to + ") are not within the log's " + size + " entries");
    }
  }

  static String readText(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code airgap audit init}. */
  @Command(
      name = "init",
      description = "Create a log and its Ed25519 checkpoint key; print the verifier key.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Log directory to create.")
    Path directory;

    @Option(
        names = "--origin",
        required = true,
        description = "Origin line of every checkpoint, e.g. audit.example.org/host7.")
    String origin;

    @Option(
        names = "--key",
        required = true,
        description = "Base name of the key files: NAME.key (mode 600) and NAME.vkey.")
    Path key;

    @Override
    public Integer call() throws IOException {
      if (Files.exists(directory.resolve("checkpoint"))) {
        throw new InputException("audit log " + directory + " already exists");
      }
      NoteSigner signer = NoteSigner.generate(origin);
      Path privateFile = Path.of(key + ".key");
      Path publicFile = Path.of(key + ".vkey");
      AtomicFiles.write(
          privateFile,
          (signer.privateKeyString() + "\n").getBytes(StandardCharsets.US_ASCII),
          PosixFilePermissions.fromString("rw-------"),
          false);
      AtomicFiles.write(
          publicFile,
          (signer.verifier() + "\n").getBytes(StandardCharsets.US_ASCII),
          PosixFilePermissions.fromString("rw-r--r--"),
          false);
      Files.createDirectories(directory);
      Checkpoint empty = new Checkpoint(origin, 0, Rfc6962.emptyRoot());
      AtomicFiles.write(
          directory.resolve("checkpoint"), empty.sign(signer).getBytes(StandardCharsets.UTF_8));
      spec.commandLine().getOut().println(signer.verifier());
      spec.commandLine()
          .getErr()
          .println("created audit log " + directory + "; keys " + privateFile + ", " + publicFile);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap audit append}. */
  @Command(name = "append", description = "Append one event durably and print its receipt.")
  static final class Append implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Log directory.")
    Path directory;

    @Option(
        names = "--key",
        required = true,
        description = "The log's private key file (NAME.key).")
    Path key;

    @Option(names = "--actor", required = true, description = "Who.")
    String actor;

    @Option(names = "--action", required = true, description = "What, e.g. model.load.")
    String action;

    @Option(
        names = "--subject",
        required = true,
        description = "To what, e.g. a model name and digest.")
    String subject;

    @Option(
        names = "--outcome",
        defaultValue = "success",
        description = "How it ended (default success).")
    String outcome;

    @Option(names = "--attr", arity = "1", description = "An attribute key=value (repeat).")
    List<String> attributes = new java.util.ArrayList<>();

    @Override
    public Integer call() {
      Map<String, String> attrs = new LinkedHashMap<>();
      for (String attribute : attributes) {
        int equals = attribute.indexOf('=');
        if (equals <= 0) {
          throw new ParameterException(
              spec.commandLine(), "--attr must be key=value, got '" + attribute + "'");
        }
        attrs.put(attribute.substring(0, equals), attribute.substring(equals + 1));
      }
      NoteSigner signer = NoteSigner.parse(readText(key).trim());
      AuditEvent event = new AuditEvent(Instant.now(), actor, action, subject, outcome, attrs);
      AuditReceipt receipt;
      try (AuditLog log = AuditLog.builder(directory).origin(signer.name()).signer(signer).open()) {
        receipt = log.append(event);
      }
      spec.commandLine()
          .getOut()
          .println(
              "index "
                  + receipt.index()
                  + " leaf "
                  + Base64.getEncoder().encodeToString(receipt.leafHash()));
      return ExitCodes.OK;
    }
  }

  /** {@code airgap audit verify}. */
  @Command(name = "verify", description = "Verify a whole log directory offline.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Log directory.")
    Path directory;

    @Mixin VerifierKeyOption verifierKey;

    @Option(
        names = "--state",
        description = "File remembering the last verified checkpoint (detects rollback and forks).")
    Path state;

    @Override
    public Integer call() {
      AuditVerifier verifier = new AuditVerifier(List.of(verifierKey.verifier()));
      Checkpoint checkpoint =
          state == null ? verifier.verify(directory) : verifier.verify(directory, state);
      spec.commandLine()
          .getErr()
          .println(
              "audit log "
                  + directory
                  + " verified: "
                  + checkpoint.size()
                  + " entries, root "
                  + Base64.getEncoder().encodeToString(checkpoint.root()));
      return ExitCodes.OK;
    }
  }

  /** {@code airgap audit prove}. */
  @Command(
      name = "prove",
      description = "Write a C2SP tlog-proof of one entry (and the entry beside it).")
  static final class Prove implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Log directory.")
    Path directory;

    @Option(names = "--index", required = true, description = "Entry index, from 0.")
    long index;

    @Option(
        names = "--out",
        required = true,
        description = "Proof file to write (FILE.tlog-proof).")
    Path out;

    @Mixin VerifierKeyOption verifierKey;

    @Override
    public Integer call() {
      AuditLogReader reader = AuditLogReader.open(directory, List.of(verifierKey.verifier()));
      requireRange(spec, index, index + 1, reader);
      TlogProof proof = reader.prove(index);
      AtomicFiles.write(out, proof.encode().getBytes(StandardCharsets.UTF_8));
      Path entry = out.resolveSibling(out.getFileName() + ".entry");
      AtomicFiles.write(entry, reader.entry(index));
      spec.commandLine().getErr().println("wrote " + out + " and the entry " + entry);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap audit verify-proof}. */
  @Command(name = "verify-proof", description = "Check a tlog-proof for an entry, offline.")
  static final class VerifyProof implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The .tlog-proof file.")
    Path file;

    @Mixin VerifierKeyOption verifierKey;

    @Option(
        names = "--entry",
        required = true,
        description = "The entry's bytes, as the log stored them.")
    Path entry;

    @Override
    public Integer call() throws IOException {
      TlogProof proof = TlogProof.parse(Files.readAllBytes(file), file.toString());
      Checkpoint checkpoint;
      try {
        checkpoint = proof.verify(Files.readAllBytes(entry), List.of(verifierKey.verifier()));
      } catch (io.airgap.audit.tree.ProofException | io.airgap.audit.LogCorruptedException e) {
        spec.commandLine().getErr().println("airgap: " + e.getMessage());
        return ExitCodes.VERIFICATION_FAILED;
      }
      spec.commandLine()
          .getErr()
          .println(
              "entry "
                  + proof.index()
                  + " is in "
                  + checkpoint.origin()
                  + " at size "
                  + checkpoint.size());
      return ExitCodes.OK;
    }
  }

  /** {@code airgap audit consistency}. */
  @Command(
      name = "consistency",
      description = "Print the consistency proof between two sizes, base64 per line.")
  static final class Consistency implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Log directory.")
    Path directory;

    @Option(names = "--from", required = true, description = "Older size.")
    long from;

    @Option(names = "--to", required = true, description = "Newer size (at most the checkpoint's).")
    long to;

    @Mixin VerifierKeyOption verifierKey;

    @Override
    public Integer call() {
      AuditLogReader reader = AuditLogReader.open(directory, List.of(verifierKey.verifier()));
      requireRange(spec, from - 1, to, reader);
      for (byte[] hash : reader.consistency(from, to)) {
        spec.commandLine().getOut().println(Base64.getEncoder().encodeToString(hash));
      }
      return ExitCodes.OK;
    }
  }

  /** {@code airgap audit export}. */
  @Command(
      name = "export",
      description =
          "Export entries [FROM, TO) with a tlog-proof each and the checkpoint, to carry out.")
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Log directory.")
    Path directory;

    @Option(names = "--from", required = true, description = "First entry index.")
    long from;

    @Option(names = "--to", required = true, description = "One past the last entry index.")
    long to;

    @Option(names = "--out", required = true, description = "Directory to write.")
    Path out;

    @Mixin VerifierKeyOption verifierKey;

    @Override
    public Integer call() {
      AuditLogReader reader = AuditLogReader.open(directory, List.of(verifierKey.verifier()));
      requireRange(spec, from, to, reader);
      long count = reader.export(from, to, out);
      spec.commandLine()
          .getErr()
          .println("exported " + count + " entries with their proofs to " + out);
      return ExitCodes.OK;
    }
  }
}
