package io.airgap.cli;

import io.airgap.core.signing.ModelSignatureVerifier;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.inference.VerifiedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * How {@code model inspect} and {@code run} verify the model before anything loads it: with the
 * signer's public key, or under a trust policy (thresholds, validity, revocation, rollback).
 */
final class ModelSourceOptions {
  @Option(names = "--public-key", description = "The signer's public key (PEM); or --policy.")
  Path publicKey;

  @Option(
      names = "--signature",
      arity = "1",
      description = "Signature file (default MODEL/model.sig); repeat under a policy.")
  List<Path> signatures = new ArrayList<>();

  @Option(names = "--model-file", description = "The .onnx file (default: the only one).")
  String modelFile;

  @Mixin PolicyOptions policy;

  /** Verifies {@code model} into a private snapshot, as the options say. */
  VerifiedModel load(CommandSpec spec, Path model) {
    if ((publicKey == null) == !policy.given()) {
      throw new ParameterException(
          spec.commandLine(), "give either --public-key or a trust policy (--policy, --state)");
    }
    if (publicKey != null && policy.policyOnlyOptionGiven()) {
      throw new ParameterException(
          spec.commandLine(),
          "--trusted-root, --model-name, --model-version and --verification-time apply under a"
              + " trust policy (--policy, --state), not with --public-key");
    }
    if (publicKey != null && signatures.size() > 1) {
      throw new ParameterException(
          spec.commandLine(), "one --signature with --public-key; several need --policy");
    }
    VerifiedModel.Builder builder = VerifiedModel.builder(model).verifier(signatureVerifier(spec));
    if (!signatures.isEmpty()) {
      builder.signatures(signatures);
    }
    if (modelFile != null) {
      builder.modelFile(modelFile);
    }
    return builder.load();
  }

  /** The one verifier the options name: the public key, or the trust policy bound to the model. */
  private ModelSignatureVerifier signatureVerifier(CommandSpec spec) {
    if (publicKey != null) {
      return ModelVerifier.builder().publicKey(Pem.readPublicKey(publicKey)).build();
    }
    return policy.verifier(spec, List.of()).forModel(policy.modelName, policy.version());
  }
}
