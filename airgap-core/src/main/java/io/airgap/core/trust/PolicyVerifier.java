package io.airgap.core.trust;

import io.airgap.core.digest.Digest;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ManifestComparison;
import io.airgap.core.manifest.ManifestDifferences;
import io.airgap.core.manifest.ModelFiles;
import io.airgap.core.signing.BundleCodec;
import io.airgap.core.signing.DsseEnvelope;
import io.airgap.core.signing.OmsStatement;
import io.airgap.core.signing.SignatureBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a model under a trust policy: establishes the current policy (from the persisted state
 * or the first policy offered, then through every newer version offered), picks the role that
 * governs the model name, counts the distinct valid role keys whose OMS signatures match the model
 * on disk, refuses a model version older than one already accepted, and persists what it accepted
 * atomically. Nothing is persisted unless the model verifies. Immutable; concurrent calls that
 * share a state file must be serialised by the caller.
 *
 * <pre>{@code
 * PolicyVerifier verifier = PolicyVerifier.builder()
 *     .policies(List.of(SignedPolicy.read(Path.of("policy.json"))))
 *     .stateFile(Path.of("/var/lib/airgap/trust-state.json"))
 *     .build();
 * PolicyVerificationReport report = verifier.verifyOrThrow(
 *     modelDir, List.of(modelDir.resolve("model.sig")), "fraud/detector", ModelVersion.parse("7"));
 * }</pre>
 */
public final class PolicyVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyVerifier.class);

  private final List<SignedPolicy> policies;
  private final Path stateFile;
  private final Clock clock;
  private final Duration tolerance;
  private final List<String> ignorePaths;
  private final int parallelism;

  private PolicyVerifier(Builder builder) {
    this.policies = List.copyOf(builder.policies);
    this.stateFile = builder.stateFile;
    this.clock = builder.clock;
    this.tolerance = builder.tolerance;
    this.ignorePaths = List.copyOf(builder.ignorePaths);
    this.parallelism = builder.parallelism;
  }

  /** A builder; at least one policy (or a state file holding one) is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a model and returns the report; a model signed below threshold is a report that is not
   * verified, not an exception.
   *
   * @param model the model directory or file
   * @param signatureFiles one or more OMS signature files; every signature in them is offered
   * @param modelName the name roles are matched against, or {@code null} for the signed subject
   *     name
   * @param modelVersion the version being deployed, or {@code null} to skip the model rollback
   *     check
   * @throws RollbackException when the policy or the model is older than one already accepted
   * @throws TrustException when no policy can be trusted or no role covers the model name
   */
  public PolicyVerificationReport verify(
      Path model, List<Path> signatureFiles, String modelName, ModelVersion modelVersion) {
    Instant time = clock.instant();
    TrustState state = stateFile == null ? TrustState.empty() : TrustState.read(stateFile);
    PolicyChain.Walk walk = PolicyChain.walk(trusted(state, time), policies, time, tolerance);
    TrustPolicy policy = walk.current().policy();
    Counting counting = count(model, signatureFiles, modelName, policy, time);
    Map<String, ModelVersion> models = new TreeMap<>(state.models());
    List<String> reset = resetChangedRoles(state, walk, models);
    ModelVersion previous = models.get(counting.modelName);
    PolicyVerificationReport report =
        new PolicyVerificationReport(
            counting.modelName,
            policy.version(),
            walk.accepted().stream().map(SignedPolicy::version).toList(),
            counting.role.name(),
            counting.role.signers().threshold(),
            List.copyOf(counting.counter.countedKeys()),
            counting.counter.outcomes(),
            modelVersion,
            previous,
            reset);
    if (!report.verified()) {
      LOG.warn("{}", report.summary());
      return report;
    }
    if (modelVersion != null && previous != null && modelVersion.compareTo(previous) < 0) {
      throw new RollbackException(
          "model "
              + counting.modelName
              + " version "
              + modelVersion
              + " is older than version "
              + previous
              + " already accepted");
    }
    if (modelVersion != null && (previous == null || modelVersion.compareTo(previous) > 0)) {
      models.put(counting.modelName, modelVersion);
    }
    persist(state, state.next(walk.current(), models));
    LOG.info("{}", report.summary());
    return report;
  }

  /**
   * Verifies and throws when the threshold is not met.
   *
   * @throws TrustException carrying the summary, which lists every signature that did not count
   */
  public PolicyVerificationReport verifyOrThrow(
      Path model, List<Path> signatureFiles, String modelName, ModelVersion modelVersion) {
    PolicyVerificationReport report = verify(model, signatureFiles, modelName, modelVersion);
    if (!report.verified()) {
      throw new TrustException(report.summary());
    }
    return report;
  }

  private SignedPolicy trusted(TrustState state, Instant time) {
    if (state.policy() != null) {
      return PolicyChain.trustFirst(state.policy(), time, tolerance);
    }
    if (policies.isEmpty()) {
      throw new TrustException("no trust policy: give one, or a state file that holds one");
    }
    SignedPolicy first =
        policies.stream().min(Comparator.comparingLong(SignedPolicy::version)).orElseThrow();
    return PolicyChain.trustFirst(first, time, tolerance);
  }

  /** What counting the signatures of one model found. */
  private record Counting(String modelName, Role role, SignatureCounter counter) {}

  private Counting count(
      Path model, List<Path> signatureFiles, String modelName, TrustPolicy policy, Instant time) {
    if (signatureFiles.isEmpty()) {
      throw new IllegalArgumentException("at least one signature file is required");
    }
    List<SignatureBundle> bundles = new ArrayList<>();
    for (Path file : signatureFiles) {
      bundles.add(BundleCodec.read(file, BundleCodec.DEFAULT_MAX_BYTES));
    }
    // Identify signers against every policy key first: the role is not known before the name.
    SignatureCounter identify =
        new SignatureCounter(policy.keys(), policy.root(), "the policy", time, tolerance);
    List<List<String>> signers = new ArrayList<>();
    Map<Digest, Manifest> manifests = new HashMap<>();
    String name = modelName;
    for (int b = 0; b < bundles.size(); b++) {
      DsseEnvelope envelope = bundles.get(b).envelope();
      List<String> bundleSigners = new ArrayList<>();
      for (DsseEnvelope.Signature signature : envelope.signatures()) {
        bundleSigners.add(identify.signer(envelope.signedBytes(), signature));
      }
      signers.add(bundleSigners);
      if (bundleSigners.stream().anyMatch(Objects::nonNull)) {
        Manifest manifest = manifest(envelope, signatureFiles.get(b), manifests);
        name = name == null ? manifest.modelName() : name;
      }
    }
    if (name == null) {
      name = ModelFilesName.of(model);
    }
    String governed = name;
    Role role =
        policy
            .roleFor(name)
            .orElseThrow(
                () ->
                    new TrustException(
                        "no role of policy version "
                            + policy.version()
                            + " covers model name '"
                            + governed
                            + "'"));
    SignatureCounter counter =
        new SignatureCounter(policy.keys(), role.signers(), "role " + role.name(), time, tolerance);
    Map<Digest, ManifestDifferences> compared = new HashMap<>();
    for (int b = 0; b < bundles.size(); b++) {
      DsseEnvelope envelope = bundles.get(b).envelope();
      Path file = signatureFiles.get(b);
      for (int s = 0; s < envelope.signatures().size(); s++) {
        String label = file.getFileName() + " signatures[" + s + "]";
        String signer = signers.get(b).get(s);
        if (signer == null) {
          counter.offer(label, null);
          continue;
        }
        ManifestDifferences differences = compare(model, envelope, file, manifests, compared);
        if (!differences.isEmpty()) {
          counter.refuse(
              label,
              signer,
              "the model does not match the manifest it signs: " + describe(differences));
        } else {
          counter.offer(label, signer);
        }
      }
    }
    return new Counting(name, role, counter);
  }

  private static Manifest manifest(DsseEnvelope envelope, Path file, Map<Digest, Manifest> cache) {
    Digest key = io.airgap.core.digest.HashAlgorithm.SHA256.hash(envelope.payload());
    return cache.computeIfAbsent(
        key, k -> OmsStatement.decode(envelope.payload(), "signature file " + file));
  }

  private ManifestDifferences compare(
      Path model,
      DsseEnvelope envelope,
      Path file,
      Map<Digest, Manifest> manifests,
      Map<Digest, ManifestDifferences> compared) {
    Digest key = io.airgap.core.digest.HashAlgorithm.SHA256.hash(envelope.payload());
    return compared.computeIfAbsent(
        key,
        k -> {
          List<String> ignored = new ArrayList<>(ignorePaths);
          if (Files.isDirectory(model)) {
            ModelFiles.relativeName(model, file).ifPresent(ignored::add);
          }
          return ManifestComparison.compare(
              manifest(envelope, file, manifests), model, ignored, false, parallelism);
        });
  }

  private static String describe(ManifestDifferences differences) {
    List<String> parts = new ArrayList<>();
    if (!differences.missingFiles().isEmpty()) {
      parts.add("missing " + differences.missingFiles());
    }
    if (!differences.extraFiles().isEmpty()) {
      parts.add("extra " + differences.extraFiles());
    }
    if (!differences.modifiedFiles().isEmpty()) {
      parts.add("modified " + differences.modifiedFiles());
    }
    if (!differences.refusedEntries().isEmpty()) {
      parts.add("refused " + differences.refusedEntries());
    }
    return String.join("; ", parts);
  }

  /**
   * TUF's fast-forward recovery: when a newly accepted policy changes the keys or threshold of the
   * role that governs a model, the version recorded for that model (possibly pushed up by a
   * compromised key) is dropped.
   */
  private static List<String> resetChangedRoles(
      TrustState state, PolicyChain.Walk walk, Map<String, ModelVersion> models) {
    List<String> reset = new ArrayList<>();
    if (state.policy() == null || walk.accepted().isEmpty()) {
      return reset;
    }
    TrustPolicy before = state.policy().policy();
    TrustPolicy after = walk.current().policy();
    for (String name : List.copyOf(models.keySet())) {
      Optional<KeyThreshold> old = before.roleFor(name).map(Role::signers);
      Optional<KeyThreshold> now = after.roleFor(name).map(Role::signers);
      if (!old.equals(now)) {
        models.remove(name);
        reset.add(name);
      }
    }
    return reset;
  }

  private void persist(TrustState before, TrustState after) {
    if (stateFile == null) {
      return;
    }
    boolean samePolicy =
        before.policy() != null && before.policy().digest().equals(after.policy().digest());
    if (!samePolicy || !before.models().equals(after.models())) {
      after.write(stateFile);
    }
  }

  /** The subject name fallback when no signature could be read: the model's file name. */
  private static final class ModelFilesName {
    static String of(Path model) {
      Path name = model.toAbsolutePath().normalize().getFileName();
      return name == null ? model.toString() : name.toString();
    }
  }

  /** Configures a {@link PolicyVerifier}. Not thread-safe. */
  public static final class Builder {
    private final List<SignedPolicy> policies = new ArrayList<>();
    private Path stateFile;
    private Clock clock = Clock.systemUTC();
    private Duration tolerance = Duration.ZERO;
    private final List<String> ignorePaths = new ArrayList<>();
    private int parallelism = Runtime.getRuntime().availableProcessors();

    private Builder() {}

    /** Policies offered, any order: the first trusted one, or newer ones to rotate to. */
    public Builder policies(List<SignedPolicy> policies) {
      this.policies.addAll(policies);
      return this;
    }

    /** Where accepted policy and model versions persist; without it nothing is remembered. */
    public Builder stateFile(Path stateFile) {
      this.stateFile = Objects.requireNonNull(stateFile, "stateFile");
      return this;
    }

    /** The clock giving the verification time; default UTC now. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How far the clock may be off when checking expiry and key validity; default zero. */
    public Builder clockTolerance(Duration tolerance) {
      if (tolerance.isNegative()) {
        throw new IllegalArgumentException("clock tolerance must not be negative: " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /** Relative names to leave out of every model comparison, besides those signatures record. */
    public Builder ignorePaths(List<String> ignorePaths) {
      this.ignorePaths.addAll(ignorePaths);
      return this;
    }

    /** Hashing threads; default one per available processor. */
    public Builder parallelism(int parallelism) {
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalStateException when neither a policy nor a state file is given
     */
    public PolicyVerifier build() {
      if (policies.isEmpty() && stateFile == null) {
        throw new IllegalStateException("give at least one policy or a state file");
      }
      return new PolicyVerifier(this);
    }
  }
}
