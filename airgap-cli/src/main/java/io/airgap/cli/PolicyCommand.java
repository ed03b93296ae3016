package io.airgap.cli;

import io.airgap.core.AtomicFiles;
import io.airgap.core.FormatException;
import io.airgap.core.internal.StrictJson;
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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
      PolicyCommand.Sign.class,
      PolicyCommand.Verify.class,
      PolicyCommand.Show.class
    })
final class PolicyCommand {
  private PolicyCommand() {}

  /** A draft or signed policy file, read for editing or showing. */
  private static SignedPolicy readAny(Path file) {
    byte[] bytes = readBytes(file);
    String where = "policy file " + file;
    if (StrictJson.readObject(bytes, where).has("payloadType")) {
      return SignedPolicy.parse(bytes, where);
    }
    return SignedPolicy.unsigned(TrustPolicyCodec.parse(bytes, where));
  }

  private static byte[] readBytes(Path file) {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes((int) SignedPolicy.MAX_BYTES + 1);
      if (bytes.length > SignedPolicy.MAX_BYTES) {
        throw new FormatException(
            "policy file " + file + " is larger than " + SignedPolicy.MAX_BYTES + " bytes");
      }
      return bytes;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new io.airgap.core.InputException("policy file " + file + " does not exist", e);
    } catch (java.io.IOException e) {
      throw new io.airgap.core.InputException(
          "cannot read policy file " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads a draft for editing; a signed policy is refused, since editing voids its signatures. */
  private static TrustPolicy readDraft(Path file) {
    SignedPolicy policy = readAny(file);
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

  private static TrustPolicy rebuild(
      TrustPolicy from, Map<String, TrustedKey> keys, List<Role> roles, CommandSpec spec) {
    try {
      return new TrustPolicy(from.version(), from.expires(), keys, roles, from.root());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
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
      TrustPolicy policy;
      if (from != null) {
        TrustPolicy previous = SignedPolicy.read(from).policy();
        policy = rebuildNext(previous);
      } else {
        policy = first();
      }
      AtomicFiles.write(out, TrustPolicyCodec.write(policy), null, false);
      spec.commandLine()
          .getErr()
          .println("wrote draft policy version " + policy.version() + " to " + out);
      return ExitCodes.OK;
    }

    private TrustPolicy first() {
      if (rootKeys.isEmpty() || rootThreshold == null) {
        throw new ParameterException(
            spec.commandLine(), "a first policy needs --root-key (repeat) and --root-threshold");
      }
      Map<String, TrustedKey> keys = new LinkedHashMap<>();
      for (Path file : rootKeys) {
        PublicKey key = Pem.readPublicKey(file);
        keys.put(TrustedKey.idOf(key), TrustedKey.of(key));
      }
      try {
        return new TrustPolicy(
            1,
            expires,
            keys,
            List.of(),
            new KeyThreshold(List.copyOf(keys.keySet()), rootThreshold));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }

    private TrustPolicy rebuildNext(TrustPolicy previous) {
      Map<String, TrustedKey> keys = new LinkedHashMap<>(previous.keys());
      List<String> rootIds = previous.root().keyIds();
      if (!rootKeys.isEmpty()) {
        rootIds = new ArrayList<>();
        for (Path file : rootKeys) {
          PublicKey key = Pem.readPublicKey(file);
          keys.putIfAbsent(TrustedKey.idOf(key), TrustedKey.of(key));
          rootIds.add(TrustedKey.idOf(key));
        }
      }
      int threshold = rootThreshold == null ? previous.root().threshold() : rootThreshold;
      try {
        return new TrustPolicy(
            previous.version() + 1,
            expires,
            keys,
            previous.roles(),
            new KeyThreshold(rootIds, threshold));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
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
      PublicKey key = Pem.readPublicKey(publicKey);
      TrustedKey trusted;
      try {
        trusted =
            new TrustedKey(
                TrustedKey.idOf(key),
                io.airgap.core.signing.KeyType.of(key),
                key,
                validFrom,
                validUntil,
                null);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      if (policy.keys().containsKey(trusted.keyId())) {
        throw new ParameterException(
            spec.commandLine(), "the draft already has key " + trusted.keyId());
      }
      Map<String, TrustedKey> keys = new LinkedHashMap<>(policy.keys());
      keys.put(trusted.keyId(), trusted);
      writeDraft(draft, rebuild(policy, keys, policy.roles(), spec));
      spec.commandLine().getOut().println(trusted.keyId());
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
      List<Role> roles = new ArrayList<>(policy.roles());
      roles.removeIf(role -> role.name().equals(name));
      try {
        roles.add(
            new Role(
                name,
                models,
                new KeyThreshold(keys.stream().map(PolicyCommand::keyId).toList(), threshold)));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      writeDraft(draft, rebuild(policy, policy.keys(), roles, spec));
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
      TrustedKey old = policy.keys().get(id);
      if (old == null) {
        throw new ParameterException(spec.commandLine(), "the draft has no key " + id);
      }
      Map<String, TrustedKey> keys = new LinkedHashMap<>(policy.keys());
      keys.put(
          id,
          new TrustedKey(
              id,
              old.type(),
              old.publicKey(),
              old.validFrom(),
              old.validUntil(),
              new TrustedKey.Revocation(reason, Instant.now())));
      writeDraft(draft, rebuild(policy, keys, policy.roles(), spec));
      spec.commandLine().getErr().println("key " + id + " revoked in " + draft);
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
      SignedPolicy current = readAny(policy);
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

  /** {@code airgap policy show}. */
  @Command(name = "show", description = "Print a draft or signed policy for people.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "POLICY", description = "Draft or signed policy file.")
    Path policy;

    @Override
    public Integer call() {
      SignedPolicy signed = readAny(policy);
      TrustPolicy p = signed.policy();
      PrintWriter out = spec.commandLine().getOut();
      out.println(
          "policy version "
              + p.version()
              + ", expires "
              + p.expires()
              + ", sha256 "
              + signed.digest().hex());
      out.println("root: " + p.root().threshold() + " of " + p.root().keyIds());
      for (Role role : p.roles()) {
        out.println(
            "role "
                + role.name()
                + " "
                + role.patterns()
                + ": "
                + role.signers().threshold()
                + " of "
                + role.signers().keyIds());
      }
      p.keys()
          .values()
          .forEach(
              key ->
                  out.println(
                      "key "
                          + key.keyId()
                          + " "
                          + key.type().cliName()
                          + (key.validFrom() == null ? "" : " from " + key.validFrom())
                          + (key.validUntil() == null ? "" : " until " + key.validUntil())
                          + (key.revocation() == null
                              ? ""
                              : " REVOKED: " + key.revocation().reason())));
      signed
          .envelope()
          .signatures()
          .forEach(
              s ->
                  out.println(
                      "signature claiming key "
                          + (s.keyId().isEmpty() ? "(none)" : s.keyId())
                          + " (not verified here; use 'policy verify')"));
      return ExitCodes.OK;
    }
  }
}
