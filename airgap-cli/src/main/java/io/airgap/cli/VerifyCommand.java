package io.airgap.cli;

import io.airgap.core.AirgapException;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.VerificationReport;
import io.airgap.core.trust.PolicyVerificationReport;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code airgap verify}: checks a model against its OMS signature. */
@Command(
    name = "verify",
    description = "Verify a model against its OMS signature file.",
    subcommands = {
      VerifyCommand.Key.class,
      VerifyCommand.Certificate.class,
      VerifyCommand.Policy.class
    })
final class VerifyCommand {
  /**
   * Runs a verification; when it stops with an error and {@code --json} was asked, prints {@code
   * {"verified": false, "error": ...}} first, so scripts always get JSON.
   */
  static <T> T printingErrors(CommandSpec spec, boolean json, Supplier<T> verification) {
    try {
      return verification.get();
    } catch (AirgapException e) {
      if (json) {
        spec.commandLine().getOut().println(ReportJson.ofError(e.getMessage()));
      }
      throw e;
    }
  }

  /** Prints the report (JSON on stdout when asked, the summary on stderr) and the exit code. */
  static int finish(
      CommandSpec spec, boolean json, String reportJson, String summary, boolean verified) {
    if (json) {
      spec.commandLine().getOut().println(reportJson);
    }
    spec.commandLine().getErr().println(FlagNames.forCommandLine(summary));
    return verified ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
  }

  /** What both verification methods share. */
  abstract static class Base implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_PATH", description = "Model directory or file.")
    Path model;

    @Option(
        names = "--signature",
        description = "Signature file (default MODEL_PATH/model.sig, or model.sig beside a file).")
    Path signature;

    @Mixin IgnorePathsOption ignorePaths;

    @Option(
        names = "--ignore-unsigned-files",
        description = "Check only the files the signature names; ignore any others.")
    boolean ignoreUnsignedFiles;

    @Option(names = "--json", description = "Print the full report as JSON on standard output.")
    boolean json;

    abstract ModelVerifier.Builder method(ModelVerifier.Builder builder);

    @Override
    public Integer call() {
      Path signatureFile = Options.signatureFile(model, signature);
      VerificationReport report =
          printingErrors(
              spec,
              json,
              () ->
                  method(ModelVerifier.builder())
                      .ignorePaths(ignorePaths.ignoredNames(model))
                      .ignoreUnsignedFiles(ignoreUnsignedFiles)
                      .build()
                      .check(model, signatureFile));
      return finish(spec, json, ReportJson.of(report), report.summary(), report.verified());
    }
  }

  /** {@code airgap verify key}: the key method. */
  @Command(name = "key", description = "Verify a key-method signature with a public key.")
  static final class Key extends Base {
    @Option(names = "--public-key", required = true, description = "PEM public key of the signer.")
    Path publicKey;

    @Override
    ModelVerifier.Builder method(ModelVerifier.Builder builder) {
      return builder.publicKey(Pem.readPublicKey(publicKey));
    }
  }

  /** {@code airgap verify certificate}: the certificate method. */
  @Command(
      name = "certificate",
      description = "Verify a certificate-method signature against trust anchors.")
  static final class Certificate extends Base {
    @Option(
        names = "--certificate-chain",
        arity = "1",
        required = true,
        description =
            "PEM certificates trusted as anchors (repeat the flag); no system store is used.")
    List<Path> anchors = new ArrayList<>();

    @Option(
        names = "--verification-time",
        description = "Time at which certificates must be valid (ISO-8601, default now).")
    Instant verificationTime;

    @Override
    ModelVerifier.Builder method(ModelVerifier.Builder builder) {
      List<X509Certificate> certificates = new ArrayList<>();
      anchors.forEach(path -> certificates.addAll(Pem.readCertificates(path)));
      builder.trustAnchors(certificates);
      if (verificationTime != null) {
        builder.clock(Clock.fixed(verificationTime, ZoneOffset.UTC));
      }
      return builder;
    }
  }

  /** {@code airgap verify policy}: m-of-n signatures under a trust policy, with rollback state. */
  @Command(
      name = "policy",
      description =
          "Verify a model under a trust policy: enough distinct role keys must have signed it.")
  static final class Policy implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL_PATH", description = "Model directory or file.")
    Path model;

    @Mixin PolicyOptions trust;

    @Option(
        names = "--signature",
        arity = "1",
        description = "OMS signature file (repeat; default MODEL_PATH/model.sig).")
    List<Path> signatures = new ArrayList<>();

    @Mixin IgnorePathsOption ignorePaths;

    @Option(names = "--json", description = "Print the full report as JSON on standard output.")
    boolean json;

    @Override
    public Integer call() {
      if (!trust.given()) {
        throw new ParameterException(spec.commandLine(), "give --policy, --state, or both");
      }
      List<Path> files =
          signatures.isEmpty() ? List.of(Options.signatureFile(model, null)) : signatures;
      PolicyVerificationReport report =
          printingErrors(
              spec,
              json,
              () ->
                  trust
                      .verifier(spec, ignorePaths.ignoredNames(model))
                      .check(model, files, trust.modelName, trust.version()));
      return finish(spec, json, ReportJson.of(report), report.summary(), report.verified());
    }
  }
}
