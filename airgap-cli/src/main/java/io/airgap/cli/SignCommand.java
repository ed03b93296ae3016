package io.airgap.cli;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SignatureBundle;
import io.airgap.core.signing.SigningKey;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
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

    @Option(
        names = "--model-name",
        description =
            "Name the signature gives the model, e.g. fraud/detector (default: the directory or"
                + " file name); trust policy roles match it.")
    String modelName;

    @Mixin HashingOptions hashing;

    abstract ModelSigner.Builder method(ModelSigner.Builder builder, SigningKey key);

    @Override
    public Integer call() {
      SigningKey key = Passwords.readSigningKey(privateKey, passwordFile);
      if (key.type() == KeyType.ED25519 && !allowEd25519) {
        throw new ParameterException(
            spec.commandLine(),
            "Ed25519 signatures are an airgap extension that other OMS verifiers reject;"
                + " pass --allow-ed25519 to use this key anyway");
      }
      ModelSigner.Builder builder = ModelSigner.builder().key(key).allowEd25519(allowEd25519);
      if (modelName != null) {
        try {
          builder.modelName(modelName);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--model-name: " + e.getMessage());
        }
      }
      ModelSigner signer = method(builder, key).build();
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
