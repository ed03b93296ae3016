package io.airgap.cli;

import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.InputException;
import io.airgap.core.signing.Pem;
import io.airgap.core.trust.KeyThreshold;
import io.airgap.core.trust.PolicyChain;
import io.airgap.core.trust.PolicySigner;
import io.airgap.core.trust.Role;
import io.airgap.core.trust.SignedPolicy;
import io.airgap.core.trust.TrustPolicy;
import io.airgap.core.trust.TrustPolicyCodec;
import io.airgap.core.trust.TrustState;
import io.airgap.core.trust.TrustedKey;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
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

/**
 * {@code airgap policy}: write, sign, check and show trust policies. A draft is the plain policy
 * JSON; {@code sign} wraps it in a DSSE envelope, and each further {@code sign} adds a signature.
 */
@Command(
    name = "policy",
    description = "Write, sign, check and show trust policies (who may sign which models).",
    subcommands = {
      PolicyCommand.Init.class,
      PolicyCommand.AddKey.class,
      PolicyCommand.AddRole.class,
      PolicyCommand.RevokeKey.class,
      PolicyCommand.RemoveKey.class,
      PolicyCommand.Sign.class,
      PolicyCommand.Verify.class,
      PolicyShow.class
    })
final class PolicyCommand {
  private PolicyCommand() {}

  /** Reads a draft for editing; a signed policy is refused, since editing voids its signatures. */
  private static TrustPolicy readDraft(Path file) {
    SignedPolicy policy = SignedPolicy.readSignedOrDraft(file);
    if (!policy.envelope().signatures().isEmpty()) {
      throw new FormatException(
          "policy file "
              + file
              + " is signed; editing it would void the signatures. Start the next version with"
              + " 'airgap policy init --from "
              + file
              + "'");
    }
    return policy.policy();
  }

  private static void writeDraft(Path file, TrustPolicy policy) {
    AtomicFiles.write(file, TrustPolicyCodec.write(policy));
  }

  /**
   * Runs a policy edit: a change the library refuses (a bad parameter) is a usage error with its
   * message; a policy that has no next version is an input error.
   */
  private static TrustPolicy edit(CommandSpec spec, Supplier<TrustPolicy> change) {
    try {
      return change.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (IllegalStateException e) {
      throw new InputException(e.getMessage(), e);
    }
  }

  /** Resolves {@code --key}: a key id, or a PEM public key file whose id is computed. */
  private static String keyId(String value) {
    if (value.matches("[0-9a-f]{64}")) {
      return value;
    }
    return TrustedKey.idOf(Pem.readPublicKey(Path.of(value)));
  }

  /** {@code airgap policy init}. */
  @Command(
      name = "init",
      description = "Start a policy draft: version 1, or the next version of a policy.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, description = "Draft file to write.")
    Path out;

    @Option(
        names = "--expires",
        required = true,
        description = "Expiry, ISO-8601 (2027-06-30T00:00:00Z).")
    Instant expires;

    @Option(
        names = "--root-key",
        arity = "1",
        description = "PEM public key of a root key holder (repeat).")
    List<Path> rootKeys = new ArrayList<>();

    @Option(names = "--root-threshold", description = "How many root keys must sign a policy.")
    Integer rootThreshold;

    @Option(names = "--from", description = "A signed policy to copy into the next version.")
    Path from;

    @Override
    public Integer call() {
      List<PublicKey> roots = rootKeys.stream().map(Pem::readPublicKey).toList();
      TrustPolicy policy;
      if (from != null) {
        TrustPolicy previous = SignedPolicy.read(from).policy();
        policy = edit(spec, () -> next(previous, roots));
      } else {
        if (rootKeys.isEmpty() || rootThreshold == null) {
          throw new ParameterException(
              spec.commandLine(), "a first policy needs --root-key (repeat) and --root-threshold");
        }
        policy = edit(spec, () -> TrustPolicy.first(expires, roots, rootThreshold));
      }
      AtomicFiles.write(out, TrustPolicyCodec.write(policy), null, false);
      spec.commandLine()
          .getErr()
          .println("wrote draft policy version " + policy.version() + " to " + out);
      return ExitCodes.OK;
    }

    /** The next version, with the root changed when root keys or a threshold were given. */
    private TrustPolicy next(TrustPolicy previous, List<PublicKey> roots) {
      TrustPolicy next = previous.nextVersion(expires);
      int threshold = rootThreshold == null ? previous.root().threshold() : rootThreshold;
      if (!roots.isEmpty()) {
        return next.withRoot(roots, threshold);
      }
      return rootThreshold == null ? next : next.withRootThreshold(threshold);
    }
  }

  /** {@code airgap policy add-key}. */
  @Command(name = "add-key", description = "Add a key to a draft and print its key id.")
  static final class AddKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DRAFT", description = "Draft policy file.")
    Path draft;

    @Option(names = "--public-key", required = true, description = "PEM public key.")
    Path publicKey;

    @Option(names = "--valid-from", description = "First instant its signatures count.")
    Instant validFrom;

    @Option(names = "--valid-until", description = "Last instant its signatures count.")
    Instant validUntil;

    @Override
    public Integer call() {
      TrustPolicy policy = readDraft(draft);
      TrustedKey key = TrustedKey.of(Pem.readPublicKey(publicKey));
      writeDraft(draft, edit(spec, () -> policy.withKey(key.withValidity(validFrom, validUntil))));
      spec.commandLine().getOut().println(key.keyId());
      return ExitCodes.OK;
    }
  }

  /** {@code airgap policy add-role}. */
  @Command(name = "add-role", description = "Add a role: which keys may sign which model names.")
  static final class AddRole implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DRAFT", description = "Draft policy file.")
    Path draft;

    @Option(names = "--name", required = true, description = "Role name.")
    String name;

    @Option(
        names = "--model",
        arity = "1",
        required = true,
        description = "Model name or prefix/* (repeat).")
    List<String> models = new ArrayList<>();

    @Option(
        names = "--key",
        arity = "1",
        required = true,
        description = "Key id or PEM public key file (repeat).")
    List<String> keys = new ArrayList<>();

    @Option(names = "--threshold", required = true, description = "How many of the keys must sign.")
    int threshold;

    @Override
    public Integer call() {
      TrustPolicy policy = readDraft(draft);
      List<String> keyIds = keys.stream().map(PolicyCommand::keyId).toList();
      writeDraft(
          draft,
          edit(
              spec,
              () -> policy.withRole(new Role(name, models, new KeyThreshold(keyIds, threshold)))));
      spec.commandLine().getErr().println("role " + name + " written to " + draft);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap policy revoke-key}. */
  @Command(name = "revoke-key", description = "Mark a key of a draft as revoked.")
  static final class RevokeKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DRAFT", description = "Draft policy file.")
    Path draft;

    @Option(names = "--key", required = true, description = "Key id or PEM public key file.")
    String key;

    @Option(names = "--reason", required = true, description = "Why, for people reading reports.")
    String reason;

    @Override
    public Integer call() {
      TrustPolicy policy = readDraft(draft);
      String id = keyId(key);
      writeDraft(draft, edit(spec, () -> policy.revokeKey(id, reason, Instant.now())));
      spec.commandLine().getErr().println("key " + id + " revoked in " + draft);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap policy remove-key}. */
  @Command(
      name = "remove-key",
      description =
          "Take a key out of a draft altogether (once no role and not the root names it).")
  static final class RemoveKey implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DRAFT", description = "Draft policy file.")
    Path draft;

    @Option(names = "--key", required = true, description = "Key id or PEM public key file.")
    String key;

    @Override
    public Integer call() {
      TrustPolicy policy = readDraft(draft);
      String id = keyId(key);
      writeDraft(draft, edit(spec, () -> policy.withoutKey(id)));
      spec.commandLine().getErr().println("key " + id + " removed from " + draft);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap policy sign}. */
  @Command(name = "sign", description = "Sign a draft, or add a signature to a signed policy.")
  static final class Sign implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POLICY", description = "Draft or signed policy file.")
    Path policy;

    @Option(
        names = "--private-key",
        required = true,
        description = "PEM private key of a root key holder.")
    Path privateKey;

    @Option(names = "--password-file", description = "File whose first line is the key's password.")
    Path passwordFile;

    @Option(
        names = "--out",
        description = "Signed policy to write (default: POLICY when already signed).")
    Path out;

    @Override
    public Integer call() {
      SignedPolicy current = SignedPolicy.readSignedOrDraft(policy);
      Path target = out != null ? out : policy;
      if (out == null && current.envelope().signatures().isEmpty()) {
        throw new ParameterException(
            spec.commandLine(), "give --out for the signed policy; the draft stays as it is");
      }
      SignedPolicy signed =
          PolicySigner.sign(current, Passwords.readSigningKey(privateKey, passwordFile));
      AtomicFiles.write(target, signed.toJson());
      spec.commandLine()
          .getErr()
          .println(
              "policy version "
                  + signed.version()
                  + " now has "
                  + signed.envelope().signatures().size()
                  + " signature(s): "
                  + target);
      return ExitCodes.OK;
    }
  }

  /** {@code airgap policy verify}. */
  @Command(
      name = "verify",
      description = "Check signed policies: the first (or the state's) and every newer one.")
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        arity = "1..*",
        paramLabel = "POLICY",
        description = "Signed policy files, any order.")
    List<Path> policies = new ArrayList<>();

    @Mixin TimeOptions time;

    @Option(names = "--state", description = "Trust state file: the policy already accepted.")
    Path state;

    @Override
    public Integer call() {
      List<SignedPolicy> offered = policies.stream().map(SignedPolicy::read).toList();
      Instant now = time.instant();
      Duration tolerance = time.tolerance(spec);
      TrustState trustState = state == null ? TrustState.empty() : TrustState.read(state);
      SignedPolicy trusted =
          trustState.policy() != null
              ? trustState.policy()
              : offered.stream()
                  .min(java.util.Comparator.comparingLong(SignedPolicy::version))
                  .orElseThrow();
      PolicyChain.trustFirst(trusted, now, tolerance);
      PolicyChain.Walk walk = PolicyChain.walk(trusted, offered, now, tolerance);
      spec.commandLine()
          .getErr()
          .println(
              "policy version "
                  + walk.current().version()
                  + " is trusted (sha256 "
                  + walk.current().digest().hex()
                  + ", expires "
                  + walk.current().policy().expires()
                  + ")");
      return ExitCodes.OK;
    }
  }
}
