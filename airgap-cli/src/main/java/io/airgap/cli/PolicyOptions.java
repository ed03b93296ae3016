package io.airgap.cli;

import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.trust.ModelVersion;
import io.airgap.core.trust.PolicyVerifier;
import io.airgap.core.trust.SignedPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The trust policy options shared by {@code verify policy}, {@code model inspect} and {@code run}:
 * the policies, the trust state, the pinned first policy, the model name and version, and the
 * verification time.
 */
final class PolicyOptions {
  @Option(
      names = "--policy",
      arity = "1",
      description = "Signed policy file (repeat for a rotation chain); optional with --state.")
  List<Path> policies = new ArrayList<>();

  @Option(names = "--state", description = "Trust state file: accepted policy and model versions.")
  Path state;

  @Option(
      names = "--trusted-root",
      description = "SHA-256 of the first policy this host trusts (pins it when no state exists).")
  String trustedRoot;

  @Option(
      names = "--model-name",
      description =
          "Model being deployed: its role decides, and only signatures naming it count"
              + " (default: the name the signatures agree on).")
  String modelName;

  @Option(names = "--model-version", description = "Version deployed, e.g. 1.4.2 (refuses older).")
  String modelVersion;

  @Mixin TimeOptions time;

  /** Whether a policy or a trust state was given. */
  boolean given() {
    return !policies.isEmpty() || state != null;
  }

  /** Whether an option that only a policy uses was given (a key would silently ignore it). */
  boolean policyOnlyOptionGiven() {
    return trustedRoot != null
        || modelName != null
        || modelVersion != null
        || time.verificationTime != null;
  }

  /** The verifier these options describe, leaving {@code ignoredNames} out of every model. */
  PolicyVerifier verifier(CommandSpec spec, List<String> ignoredNames) {
    PolicyVerifier.Builder builder =
        PolicyVerifier.builder()
            .policies(policies.stream().map(SignedPolicy::read).toList())
            .clock(Clock.fixed(time.instant(), ZoneOffset.UTC))
            .clockTolerance(time.tolerance(spec))
            .ignorePaths(ignoredNames);
    if (state != null) {
      builder.stateFile(state);
    }
    if (trustedRoot != null) {
      builder.trustedRoot(Digest.fromHex(HashAlgorithm.SHA256, trustedRoot, "--trusted-root"));
    }
    return builder.build();
  }

  /** The version being deployed, or null. */
  ModelVersion version() {
    return modelVersion == null ? null : ModelVersion.parse(modelVersion);
  }
}
