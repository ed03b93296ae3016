package io.airgap.core.trust;

import io.airgap.core.InputException;
import io.airgap.core.LogContext;
import io.airgap.core.digest.Digest;
import io.airgap.core.digest.HashAlgorithm;
import io.airgap.core.internal.BundleCodec;
import io.airgap.core.internal.ManifestComparison;
import io.airgap.core.internal.ModelFiles;
import io.airgap.core.internal.OmsStatement;
import io.airgap.core.manifest.Manifest;
import io.airgap.core.manifest.ManifestDifferences;
import io.airgap.core.signing.DsseEnvelope;
import io.airgap.core.signing.ModelSignatureVerifier;
import io.airgap.core.signing.SignatureBundle;
import io.airgap.core.signing.VerificationReport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a model under a trust policy: establishes the current policy (from the persisted state,
 * or the first policy offered, which should be pinned with {@link Builder#trustedRoot}, then
 * through every newer version offered), picks the role that governs the model name, counts the
 * distinct valid role keys whose OMS signatures name that model and match it on disk, refuses a
 * model version older than one already accepted, and persists what it accepted atomically. Nothing
 * is persisted unless the model verifies. Immutable; concurrent calls that share a state file must
 * be serialised by the caller.
 *
 * <pre>{@code
 * PolicyVerifier verifier = PolicyVerifier.builder()
 *     .policies(List.of(SignedPolicy.read(Path.of("policy.json"))))
 *     .stateFile(Path.of("/var/lib/airgap/trust-state.json"))
 *     .build();
 * PolicyVerificationReport report = verifier.verify(
 *     modelDir, List.of(modelDir.resolve("model.sig")), "fraud/detector", ModelVersion.parse("7"));
 * }</pre>
 *
 * <p>{@link #forModel} binds a model name and version, giving the {@link ModelSignatureVerifier}
 * that {@code VerifiedModel} and other loaders take.
 */
public final class PolicyVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyVerifier.class);

  private final List<SignedPolicy> policies;
  private final Path stateFile;
  private final Clock clock;
  private final Duration tolerance;
  private final List<String> ignorePaths;
  private final int parallelism;
  private final Digest trustedRoot;

  private PolicyVerifier(Builder builder) {
    this.policies = List.copyOf(builder.policies);
    this.stateFile = builder.stateFile;
    this.clock = builder.clock;
    this.tolerance = builder.tolerance;
    this.ignorePaths = List.copyOf(builder.ignorePaths);
    this.parallelism = builder.parallelism;
    this.trustedRoot = builder.trustedRoot;
  }

  /** A builder; at least one policy (or a state file holding one) is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Checks a model and returns the report: a model signed below threshold is a report that is not
   * verified, not an exception (use {@link #verify(Path, List, String, ModelVersion)} to refuse).
   *
   * @param model the model directory or file
   * @param signatureFiles one or more OMS signature files; every signature in them is offered
   * @param modelName the model being deployed: the role is the one covering it, and a signature
   *     counts only when it names this model (its subject name, or this name's last segment for a
   *     subject with no {@code /}); {@code null} for the name the signatures agree on
   * @param modelVersion the version being deployed, or {@code null} to skip the model rollback
   *     check
   * @throws RollbackException when the policy or the model is older than one already accepted
   * @throws TrustException when no policy can be trusted or no role covers the model name
   */
  public PolicyVerificationReport check(
      Path model, List<Path> signatureFiles, String modelName, ModelVersion modelVersion) {
    if (stateFile == null) {
      return verifyUnlocked(model, signatureFiles, modelName, modelVersion);
    }
    // Two verifiers sharing a state file must not interleave their read and write.
    Path lockFile = stateFile.resolveSibling(stateFile.getFileName() + ".lock");
    try (FileChannel channel =
            FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      return verifyUnlocked(model, signatureFiles, modelName, modelVersion);
    } catch (IOException e) {
      throw new InputException("cannot lock " + lockFile + ": " + e.getMessage(), e);
    }
  }

  private PolicyVerificationReport verifyUnlocked(
      Path model, List<Path> signatureFiles, String modelName, ModelVersion modelVersion) {
    Instant time = clock.instant();
    TrustState state = stateFile == null ? TrustState.empty() : TrustState.read(stateFile);
    checkClock(state, time);
    PolicyChain.Walk walk = PolicyChain.walk(trusted(state, time), policies, time, tolerance);
    TrustPolicy policy = walk.current().policy();
    Counting counting = count(model, signatureFiles, modelName, policy, time);
    Map<String, ModelVersion> models = new TreeMap<>(state.models());
    List<String> reset = resetChangedRoles(state, walk, models);
    ModelVersion previous = models.get(counting.modelName());
    PolicyVerificationReport report = report(counting, walk, modelVersion, previous, reset);
    if (!report.verified()) {
      logSummary(report);
      return report;
    }
    checkVersion(counting.modelName(), modelVersion, previous);
    if (modelVersion != null && (previous == null || modelVersion.compareTo(previous) > 0)) {
      models.put(counting.modelName(), modelVersion);
    }
    persist(state, state.next(walk.current(), models, time));
    logSummary(report);
    return report;
  }

  /** The outcome, with the model name in the MDC (the digest varies per signature file here). */
  private static void logSummary(PolicyVerificationReport report) {
    try (LogContext context = LogContext.model(report.modelName(), null)) {
      if (report.verified()) {
        LOG.info("{}", report.summary());
      } else {
        LOG.warn("{}", report.summary());
      }
    }
  }

  private static PolicyVerificationReport report(
      Counting counting,
      PolicyChain.Walk walk,
      ModelVersion modelVersion,
      ModelVersion previous,
      List<String> reset) {
    return new PolicyVerificationReport(
        counting.modelName(),
        walk.current().version(),
        walk.accepted().stream().map(SignedPolicy::version).toList(),
        counting.role().name(),
        counting.role().signers().threshold(),
        List.copyOf(counting.counter().countedKeys()),
        counting.counter().outcomes(),
        modelVersion,
        previous,
        reset,
        counting.signedManifest());
  }

  private void checkClock(TrustState state, Instant time) {
    if (state.latestTime() != null && time.plus(tolerance).isBefore(state.latestTime())) {
      throw new TrustException(
          "verification time "
              + time
              + " is before "
              + state.latestTime()
              + ", the latest time this trust state has accepted: the clock has been set back;"
              + " fix the clock or give the real time");
    }
  }

  private static void checkVersion(String name, ModelVersion offered, ModelVersion previous) {
    if (previous == null) {
      return;
    }
    if (offered == null) {
      throw new TrustException(
          "model "
              + name
              + " has version "
              + previous
              + " recorded in the trust state; give the version being deployed (modelVersion)"
              + " so that an older one cannot pass unchecked");
    }
    if (offered.compareTo(previous) < 0) {
      throw new RollbackException(
          "model "
              + name
              + " version "
              + offered
              + " is older than version "
              + previous
              + " already accepted; deploy version "
              + previous
              + " or newer");
    }
  }

  /**
   * Verifies a model under the policy and throws when the threshold is not met.
   *
   * @return the report of the verified model ({@link PolicyVerificationReport#verified()} is true)
   * @throws RollbackException when the policy or the model is older than one already accepted
   * @throws TrustException carrying the summary, which lists every signature that did not count
   */
  public PolicyVerificationReport verify(
      Path model, List<Path> signatureFiles, String modelName, ModelVersion modelVersion) {
    PolicyVerificationReport report = check(model, signatureFiles, modelName, modelVersion);
    if (!report.verified()) {
      throw new TrustException(report.summary(), report);
    }
    return report;
  }

  /**
   * This verifier bound to one model: the {@link ModelSignatureVerifier} that loaders take, which
   * verifies as {@link #verify(Path, List, String, ModelVersion)} does and reports the signer as
   * the policy version, the role and the keys that counted.
   *
   * @param modelName the name roles are matched against, or {@code null} for the name the
   *     signatures agree on
   * @param modelVersion the version being deployed, or {@code null} to skip the model rollback
   *     check
   */
  public ModelSignatureVerifier forModel(String modelName, ModelVersion modelVersion) {
    return new ModelSignatureVerifier() {
      @Override
      public VerificationReport verify(Path model, List<Path> signatureFiles) {
        PolicyVerificationReport policy =
            PolicyVerifier.this.verify(model, signatureFiles, modelName, modelVersion);
        Manifest signed = policy.signedManifest();
        String signer =
            "policy version "
                + policy.policyVersion()
                + ", role "
                + policy.role()
                + ": keys "
                + policy.countedKeys();
        return new VerificationReport(
            signed, signer, ManifestDifferences.none(signed.resources().size()));
      }

      @Override
      public boolean countsSeveralSignatures() {
        return true;
      }
    };
  }

  private SignedPolicy trusted(TrustState state, Instant time) {
    if (state.policy() != null) {
      return PolicyChain.trustAccepted(state.policy(), time);
    }
    if (policies.isEmpty()) {
      throw new TrustException("no trust policy: give one, or a state file that holds one");
    }
    SignedPolicy first =
        policies.stream().min(Comparator.comparingLong(SignedPolicy::version)).orElseThrow();
    if (trustedRoot != null && !trustedRoot.equals(first.digest())) {
      throw new TrustException(
          "policy version "
              + first.version()
              + " (sha256 "
              + first.digest().hex()
              + ") is not the pinned first policy (sha256 "
              + trustedRoot.hex()
              + ")");
    }
    return PolicyChain.trustFirst(first, time, tolerance);
  }

  /** What counting the signatures of one model found. */
  private record Counting(
      String modelName, Role role, SignatureCounter counter, Manifest signedManifest) {}

  /** One signature file, its payload digest and the policy key behind each signature (or null). */
  private record Offered(Path file, DsseEnvelope envelope, Digest payload, List<String> signers) {
    boolean anyPolicySigner() {
      return signers.stream().anyMatch(Objects::nonNull);
    }
  }

  private Counting count(
      Path model, List<Path> signatureFiles, String modelName, TrustPolicy policy, Instant time) {
    if (signatureFiles.isEmpty()) {
      throw new IllegalArgumentException("at least one signature file is required");
    }
    List<Offered> offered = identify(signatureFiles, policy, time);
    Map<Digest, Manifest> manifests = new HashMap<>();
    String name = modelName != null ? modelName : signedName(offered, manifests, policy);
    Role role =
        policy
            .roleFor(name)
            .orElseThrow(
                () ->
                    new TrustException(
                        "no role of policy version "
                            + policy.version()
                            + " covers model name '"
                            + name
                            + "'"));
    SignatureCounter counter =
        new SignatureCounter(policy.keys(), role.signers(), "role " + role.name(), time, tolerance);
    Map<Digest, ManifestDifferences> compared = new HashMap<>();
    Map<String, Digest> matching = new HashMap<>();
    for (Offered one : offered) {
      for (int s = 0; s < one.signers().size(); s++) {
        String label = one.file() + " signatures[" + s + "]";
        String signer = one.signers().get(s);
        if (signer == null) {
          counter.offer(label, null);
          continue;
        }
        String signedName = manifest(one, manifests).modelName();
        if (!namesModel(signedName, name)) {
          counter.refuse(label, signer, "it signs model '" + signedName + "', not '" + name + "'");
          continue;
        }
        ManifestDifferences differences =
            compared.computeIfAbsent(one.payload(), k -> compare(model, one, manifests));
        if (differences.isEmpty()) {
          counter.offer(label, signer);
          matching.put(label, one.payload());
        } else {
          counter.refuse(
              label,
              signer,
              "the model does not match the manifest it signs: " + describe(differences));
        }
      }
    }
    Manifest signed =
        counter.outcomes().stream()
            .filter(SignatureOutcome::counted)
            .map(outcome -> manifests.get(matching.get(outcome.signature())))
            .findFirst()
            .orElse(null);
    return new Counting(name, role, counter, signed);
  }

  /** Reads every signature file and finds the policy key behind each of its signatures. */
  private List<Offered> identify(List<Path> signatureFiles, TrustPolicy policy, Instant time) {
    SignatureCounter keys =
        new SignatureCounter(policy.keys(), policy.root(), "the policy", time, tolerance);
    List<Offered> offered = new ArrayList<>();
    for (Path file : signatureFiles) {
      SignatureBundle bundle = BundleCodec.read(file, BundleCodec.DEFAULT_MAX_BYTES);
      DsseEnvelope envelope = bundle.envelope();
      List<String> signers = new ArrayList<>();
      for (DsseEnvelope.Signature signature : envelope.signatures()) {
        signers.add(keys.signer(envelope.signedBytes(), signature));
      }
      offered.add(
          new Offered(file, envelope, HashAlgorithm.SHA256.hash(envelope.payload()), signers));
    }
    return offered;
  }

  /**
   * The model name the signatures by policy keys agree on, when the caller gave none; differing
   * names, or no signature by a policy key, are refused rather than guessed.
   */
  private static String signedName(
      List<Offered> offered, Map<Digest, Manifest> manifests, TrustPolicy policy) {
    Set<String> names = new TreeSet<>();
    for (Offered one : offered) {
      if (one.anyPolicySigner()) {
        names.add(manifest(one, manifests).modelName());
      }
    }
    if (names.isEmpty()) {
      throw new TrustException(
          "no signature offered is by a key of policy version " + policy.version());
    }
    if (names.size() > 1) {
      throw new TrustException(
          "the signatures name different models " + names + "; give the model name to verify");
    }
    return names.iterator().next();
  }

  /**
   * Whether a signature whose subject is {@code signedName} vouches for the model {@code name}: the
   * same name, or that name's last segment when the signed name has no {@code /} (the OMS tools
   * name the subject after the model's directory, so a model deployed as {@code fraud/detector} and
   * signed by them is {@code detector}). A signature made for another model never counts, so a
   * validly signed model cannot be passed off as a different one of the same role.
   */
  static boolean namesModel(String signedName, String name) {
    return signedName.equals(name)
        || (signedName.indexOf('/') < 0 && name.endsWith("/" + signedName));
  }

  private static Manifest manifest(Offered one, Map<Digest, Manifest> cache) {
    return cache.computeIfAbsent(
        one.payload(),
        k -> OmsStatement.decode(one.envelope().payload(), "signature file " + one.file()));
  }

  private ManifestDifferences compare(Path model, Offered one, Map<Digest, Manifest> manifests) {
    List<String> ignored = new ArrayList<>(ignorePaths);
    if (Files.isDirectory(model)) {
      ModelFiles.relativeName(model, one.file()).ifPresent(ignored::add);
    }
    return ManifestComparison.compare(manifest(one, manifests), model, ignored, false, parallelism);
  }

  private static String describe(ManifestDifferences differences) {
    List<String> parts = new ArrayList<>();
    describe(parts, "missing", differences.missingFiles());
    describe(parts, "extra", differences.extraFiles());
    describe(parts, "modified", differences.modifiedFiles());
    describe(parts, "refused", differences.refusedEntries());
    return String.join("; ", parts);
  }

  private static void describe(List<String> parts, String label, List<String> names) {
    if (!names.isEmpty()) {
      parts.add(label + " " + names);
    }
  }

  /**
   * TUF's fast-forward recovery: when a newly accepted policy removes from a model's role, or
   * revokes, a key that could sign for it before, the version recorded for that model (possibly
   * pushed up by that key) is dropped. Adding keys or raising a threshold drops nothing.
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
      Set<String> couldSign = before.roleFor(name).map(PolicyVerifier::roleKeys).orElse(Set.of());
      Set<String> canSign =
          after.roleFor(name).map(PolicyVerifier::roleKeys).orElse(Set.of()).stream()
              .filter(id -> after.keys().get(id).revocation() == null)
              .collect(java.util.stream.Collectors.toSet());
      if (!canSign.containsAll(couldSign)) {
        models.remove(name);
        reset.add(name);
      }
    }
    return reset;
  }

  private static Set<String> roleKeys(Role role) {
    return Set.copyOf(role.signers().keyIds());
  }

  private void persist(TrustState before, TrustState after) {
    if (stateFile == null) {
      return;
    }
    boolean samePolicy =
        before.policy() != null && before.policy().digest().equals(after.policy().digest());
    if (!samePolicy
        || !before.models().equals(after.models())
        || !after.latestTime().equals(before.latestTime())) {
      after.write(stateFile);
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
    private Digest trustedRoot;

    private Builder() {}

    /**
     * Pins the first policy a host trusts by the SHA-256 of its payload, so that without a state
     * file an arbitrary self-signed policy is refused. Once the state holds a policy, the state is
     * the anchor.
     */
    public Builder trustedRoot(Digest firstPolicyDigest) {
      this.trustedRoot = Objects.requireNonNull(firstPolicyDigest, "firstPolicyDigest");
      return this;
    }

    /** Policies offered, any order: the first trusted one, or newer ones to rotate to. */
    public Builder policies(List<SignedPolicy> policies) {
      Objects.requireNonNull(policies, "policies");
      for (int i = 0; i < policies.size(); i++) {
        this.policies.add(Objects.requireNonNull(policies.get(i), "policies[" + i + "]"));
      }
      return this;
    }

    /** Where accepted policy and model versions persist; without it nothing is remembered. */
    public Builder stateFile(Path stateFile) {
      Objects.requireNonNull(stateFile, "stateFile");
      if (this.stateFile != null) {
        throw new IllegalStateException(
            "stateFile(...) is already " + this.stateFile + "; one verifier keeps one state");
      }
      this.stateFile = stateFile;
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
      for (String path : Objects.requireNonNull(ignorePaths, "ignorePaths")) {
        this.ignorePaths.add(Objects.requireNonNull(path, "an ignored path"));
      }
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
      if (trustedRoot == null && stateFile == null) {
        // Nothing anchors trust then: any self-signed policy offered as version 1 is accepted.
        LOG.warn(
            "policy verifier without trustedRoot or stateFile: it trusts whichever policy it is"
                + " given first; pin the first policy (trustedRoot) or keep a trust state");
      }
      return new PolicyVerifier(this);
    }
  }
}
