package io.airgap.cli;

import io.airgap.core.InputException;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureBundle;
import io.airgap.core.signing.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap sign}: writes an OMS v1.0 signature file for a model. */
@Command(
    name = "sign",
    description = "Sign a model (OMS v1.0 signature file).",
    subcommands = {SignCommand.Key.class, SignCommand.Certificate.class})
final class SignCommand {
  /** What both signing methods share. */
  abstract static class Base implements Callable<Integer> {
    private static final int MAX_PASSWORD_BYTES = 4096;

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_PATH", description = "Model directory or file.")
    Path model;

    @Option(names = "--private-key", required = true, description = "PEM private key.")
    Path privateKey;

    @Option(
        names = "--password-file",
        description = "File whose first line is the private key's password.")
    Path passwordFile;

    @Option(
        names = "--signature",
        description = "Where to write (default MODEL_PATH/model.sig, or model.sig beside a file).")
    Path signature;

    @Option(
        names = "--allow-ed25519",
        description = "Allow an Ed25519 key (an airgap extension other OMS verifiers reject).")
    boolean allowEd25519;

    @Mixin HashingOptions hashing;

    abstract ModelSigner.Builder method(ModelSigner.Builder builder, SigningKey key);

    @Override
    public Integer call() {
      SigningKey key = readKey();
      if (key.type() == KeyType.ED25519 && !allowEd25519) {
        throw new ParameterException(
            spec.commandLine(),
            "Ed25519 signatures are an airgap extension that other OMS verifiers reject;"
                + " pass --allow-ed25519 to use this key anyway");
      }
      ModelSigner signer =
          method(ModelSigner.builder().key(key).allowEd25519(allowEd25519), key).build();
      Path output = Options.signatureFile(model, signature);
      SignatureBundle bundle =
          signer.sign(model, output, hashing.hasher(spec), hashing.ignoredNames(model));
      spec.commandLine()
          .getErr()
          .println("signed " + model + " into " + output + " (" + signerName(bundle) + ")");
      return ExitCodes.OK;
    }

    private static String signerName(SignatureBundle bundle) {
      return bundle.usesCertificate()
          ? "certificate " + bundle.certificateChain().get(0).getSubjectX500Principal()
          : "key " + bundle.publicKeyHint();
    }

    /** Reads the key, with the password from --password-file, wiping the password after. */
    private SigningKey readKey() {
      if (passwordFile == null) {
        return Pem.readSigningKey(privateKey, null);
      }
      char[] password = readPassword(passwordFile);
      try {
        return Pem.readSigningKey(privateKey, password);
      } finally {
        Arrays.fill(password, '\0');
      }
    }

    private static char[] readPassword(Path file) {
      byte[] bytes = null;
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_PASSWORD_BYTES + 1);
        if (bytes.length > MAX_PASSWORD_BYTES) {
          throw new InputException(
              "password file " + file + " is longer than " + MAX_PASSWORD_BYTES + " bytes");
        }
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
          end++;
        }
        CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
        char[] password = new char[chars.remaining()];
        chars.get(password);
        Arrays.fill(chars.array(), '\0');
        return password;
      } catch (IOException e) {
        throw new InputException("cannot read password file " + file + ": " + e.getMessage(), e);
      } finally {
        if (bytes != null) {
          Arrays.fill(bytes, (byte) 0);
        }
      }
    }
  }

  /** {@code airgap sign key}: the key method. */
  @Command(name = "key", description = "Sign with a private key (OMS key method).")
  static final class Key extends Base {
    @Override
    ModelSigner.Builder method(ModelSigner.Builder builder, SigningKey key) {
      return builder;
    }
  }

  /** {@code airgap sign certificate}: the certificate method. */
  @Command(
      name = "certificate",
      description = "Sign with a private key and its certificate chain (OMS certificate method).")
  static final class Certificate extends Base {
    @Option(
        names = "--signing-certificate",
        required = true,
        description = "PEM certificate of the signing key.")
    Path signingCertificate;

    @Option(
        names = "--certificate-chain",
        arity = "1",
        description = "PEM intermediate certificates, leaf side first (repeat the flag).")
    List<Path> chain = new ArrayList<>();

    @Override
    ModelSigner.Builder method(ModelSigner.Builder builder, SigningKey key) {
      List<X509Certificate> intermediates = new ArrayList<>();
      chain.forEach(path -> intermediates.addAll(Pem.readCertificates(path)));
      return builder.certificate(Pem.readCertificates(signingCertificate).get(0), intermediates);
    }
  }
}
