package io.airgap.cli;

import io.airgap.core.AtomicFiles;
import io.airgap.core.InputException;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code airgap key}: key management. */
@Command(
    name = "key",
    description = "Manage signing keys.",
    subcommands = {KeyCommand.Generate.class})
final class KeyCommand {
  /** {@code airgap key generate}: writes NAME.pem (PKCS#8, mode 600) and NAME.pub.pem. */
  @Command(
      name = "generate",
      description = "Generate a key pair: NAME.pem (PKCS#8, mode 600) and NAME.pub.pem.")
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--type",
        defaultValue = "ecdsa-p256",
        description = "ecdsa-p256 (default), ecdsa-p384, ecdsa-p521 or ed25519 (not OMS).")
    String type;

    @Option(names = "--out", required = true, description = "Path and base name of the key files.")
    Path out;

    @Override
    public Integer call() {
      KeyType keyType = Options.keyType(spec, type);
      Path privateFile = Path.of(out + ".pem");
      Path publicFile = Path.of(out + ".pub.pem");
      for (Path file : new Path[] {privateFile, publicFile}) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
          throw new InputException(file + " already exists; refusing to overwrite a key");
        }
      }
      SigningKey key = Pem.generate(keyType);
      AtomicFiles.write(
          privateFile,
          Pem.privateKeyPem(key.privateKey()).getBytes(StandardCharsets.US_ASCII),
          PosixFilePermissions.fromString("rw-------"),
          false);
      try {
        AtomicFiles.write(
            publicFile,
            Pem.publicKeyPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII),
            PosixFilePermissions.fromString("rw-r--r--"),
            false);
      } catch (RuntimeException e) {
        // Leave nothing behind: a private key without its public half is of no use.
        deleteQuietly(privateFile);
        throw e;
      }
      spec.commandLine()
          .getErr()
          .println(
              "wrote "
                  + privateFile
                  + " and "
                  + publicFile
                  + " ("
                  + keyType.cliName()
                  + ", hint "
                  + Pem.hint(key.publicKey())
                  + ")");
      return ExitCodes.OK;
    }

    private static void deleteQuietly(Path file) {
      try {
        Files.deleteIfExists(file);
      } catch (java.io.IOException e) {
        // The original error is what the operator needs to see.
      }
    }
  }
}
