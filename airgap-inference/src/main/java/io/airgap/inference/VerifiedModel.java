package io.airgap.inference;

import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import io.airgap.core.LogContext;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditSink;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.VerificationReport;
import io.airgap.core.trust.ModelVersion;
import io.airgap.core.trust.PolicyVerificationReport;
import io.airgap.core.trust.PolicyVerifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model whose bytes were checked against its OMS signature and can no longer change. Loading
 * copies the model directory (and its signature) into a private snapshot directory (mode 0700,
 * created fresh under the work directory) and verifies the copy; the runtime then reads only the
 * snapshot. A file swapped in the original directory after the check therefore never reaches ONNX
 * Runtime, whatever the model's layout (one file, external data files, shards). Closing deletes the
 * snapshot. Thread-safe; close once no session uses it.
 */
public final class VerifiedModel implements AutoCloseable {
  /** The signature file name the OMS tools use by default. */
  public static final String DEFAULT_SIGNATURE = "model.sig";

  private static final Logger LOG = LoggerFactory.getLogger(VerifiedModel.class);

  private final Path source;
  private final Path snapshot;
  private final Path modelFile;
  private final String modelFileName;
  private final VerificationReport report;
  private final PolicyVerificationReport policyReport;
  private final AuditSink auditSink;
  private final String actor;
  private final Clock clock;
  private volatile boolean closed;

  private VerifiedModel(
      Builder builder, Path snapshot, String modelFileName, SignatureCheck.Checked checked) {
    this.source = builder.model;
    this.snapshot = snapshot;
    this.modelFileName = modelFileName;
    this.modelFile = snapshot.resolve("model").resolve(modelFileName);
    this.report = checked.report();
    this.policyReport = checked.policy();
    this.auditSink = builder.auditSink;
    this.actor = builder.actor;
    this.clock = builder.clock;
  }

  /** A builder for the model directory (or single .onnx file) at {@code model}. */
  public static Builder builder(Path model) {
    return new Builder(model);
  }

  /** The model name the signature states. */
  public String name() {
    return report.modelName();
  }

  /** The signed root digest, for example {@code sha256:9f2c...}. */
  public String digest() {
    return report.rootDigest().algorithm().omsName() + ":" + report.rootDigest().hex();
  }

  /** The verification report (every file checked, the signer). */
  public VerificationReport report() {
    return report;
  }

  /**
   * The trust policy's report (policy and role, the keys that counted, the model version) when the
   * model was verified under a policy; empty when a key verified it.
   */
  public java.util.Optional<PolicyVerificationReport> policyReport() {
    return java.util.Optional.ofNullable(policyReport);
  }

  /** Where the model was loaded from. */
  public Path source() {
    return source;
  }

  /** The ONNX file inside the snapshot, the only path the runtime is given. */
  public Path modelFile() {
    requireOpen();
    return modelFile;
  }

  /** The ONNX file's name relative to the model directory. */
  public String modelFileName() {
    return modelFileName;
  }

  /**
   * A verified file of the model (for example a tokenizer or a golden input), inside the snapshot.
   *
   * @throws InputException when the model has no such file
   */
  public Path file(String relativeName) {
    requireOpen();
    Path base = snapshot.resolve("model");
    Path file = base.resolve(relativeName).normalize();
    if (!file.startsWith(base) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException("model " + name() + " has no file " + relativeName);
    }
    return file;
  }

  /** Whether the model has a verified file of that relative name. */
  public boolean hasFile(String relativeName) {
    Path base = snapshot.resolve("model");
    Path file = base.resolve(relativeName).normalize();
    return !closed && file.startsWith(base) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * The relative names of the verified files under a directory of the model (for example {@code
   * selftest/inputs/}), sorted; empty when there is none.
   */
  public List<String> filesUnder(String directory) {
    requireOpen();
    Path base = snapshot.resolve("model");
    Path dir = base.resolve(directory).normalize();
    if (!dir.startsWith(base) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
          .map(f -> base.relativize(f).toString().replace(java.io.File.separatorChar, '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new InputException(
          "cannot list " + directory + " of model " + name() + ": " + e.getMessage(), e);
    }
  }

  /** The private snapshot directory. */
  Path snapshot() {
    return snapshot;
  }

  AuditSink auditSink() {
    return auditSink;
  }

  String actor() {
    return actor;
  }

  Clock clock() {
    return clock;
  }

  /** Records an event about this model when an audit sink is configured. */
  void audit(String action, String outcome, Map<String, String> attributes) {
    if (auditSink == null) {
      return;
    }
    Map<String, String> all = new LinkedHashMap<>(attributes);
    all.put("digest", digest());
    auditSink.append(
        new AuditEvent(clock.instant(), actor, action, name() + "@" + digest(), outcome, all));
  }

  private void requireOpen() {
    if (closed) {
      throw new InferenceException("verified model " + name() + " is closed");
    }
  }

  /** Deletes the snapshot. Sessions made from this model must be closed first. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      ModelSnapshot.deleteTree(snapshot);
    }
  }

  /** Builds a {@link VerifiedModel}. */
  public static final class Builder {
    private final Path model;
    private List<Path> signatures;
    private SignatureCheck check;
    private String modelFile;
    private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private AuditSink auditSink;
    private String actor = System.getProperty("user.name", "unknown");
    private Clock clock = Clock.systemUTC();

    private Builder(Path model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /** The OMS signature file (default: {@value #DEFAULT_SIGNATURE} inside the directory). */
    public Builder signature(Path file) {
      this.signatures = List.of(file);
      return this;
    }

    /**
     * Several OMS signature files, one per signer, for {@link #policy}; inside or beside the model
     * directory (those inside are not part of the model).
     */
    public Builder signatures(List<Path> files) {
      if (files.isEmpty()) {
        throw new IllegalArgumentException("at least one signature file is required");
      }
      this.signatures = List.copyOf(files);
      return this;
    }

    /**
     * Verifies with a public key, or trust anchors for certificate signatures. This or {@link
     * #policy} is required.
     */
    public Builder verifier(ModelVerifier modelVerifier) {
      this.check = SignatureCheck.key(Objects.requireNonNull(modelVerifier, "verifier"));
      return this;
    }

    /**
     * Verifies under a trust policy instead of one key: the signatures must meet the threshold of
     * the role that covers the model, with keys valid and not revoked at the verifier's time, and
     * the version must not be older than one the verifier's trust state already accepted.
     *
     * @param modelName the name roles are matched against, or null for the signed subject name
     * @param version the version being deployed, or null to skip the rollback check
     */
    public Builder policy(PolicyVerifier policyVerifier, String modelName, ModelVersion version) {
      this.check =
          SignatureCheck.policy(
              Objects.requireNonNull(policyVerifier, "policy verifier"), modelName, version);
      return this;
    }

    /** The ONNX file to load, relative to the directory (default: the only {@code .onnx}). */
    public Builder modelFile(String relativeName) {
      this.modelFile = relativeName;
      return this;
    }

    /** Where the private snapshot directory is created (default {@code java.io.tmpdir}). */
    public Builder workDirectory(Path directory) {
      this.workDirectory = directory;
      return this;
    }

    /** Records loads, refusals and closes here. */
    public Builder auditSink(AuditSink sink, String actorName) {
      this.auditSink = sink;
      this.actor = actorName;
      return this;
    }

    /** The clock audit events are stamped with. */
    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /**
     * Snapshots and verifies the model.
     *
     * @throws io.airgap.core.signing.ManifestMismatchException when a file differs from what was
     *     signed (with the report)
     * @throws io.airgap.core.signing.SignatureException when the signature does not verify
     * @throws InputException when the model cannot be read or has no single ONNX file
     */
    public VerifiedModel load() {
      if (check == null) {
        throw new IllegalStateException(
            "a verifier (public key or trust anchors) or a trust policy is required");
      }
      List<Path> signatureFiles = signatureFiles();
      Path snapshot = ModelSnapshot.create(workDirectory);
      try {
        Path copy = snapshot.resolve("model");
        boolean directory = Files.isDirectory(model);
        List<String> names =
            ModelSnapshot.copyModel(
                model, directory, copy, signatureFiles, ModelSnapshot.rules(signatureFiles));
        List<Path> copiedSignatures = ModelSnapshot.copySignatures(snapshot, signatureFiles);
        Path verifiedPath = directory ? copy : copy.resolve(names.get(0));
        SignatureCheck.Checked checked = check.verify(verifiedPath, copiedSignatures);
        LOG.debug("signatures {} verified over the snapshot of {}", signatureFiles, model);
        // Files the signature does not cover (ignored paths, unsigned files a verifier was told
        // to tolerate) leave the snapshot: everything a host reads from it was verified.
        List<String> signed =
            directory ? ModelSnapshot.keepSigned(copy, names, checked.report().manifest()) : names;
        String onnx = chooseModelFile(signed);
        VerificationReport report = checked.report();
        VerifiedModel loaded = new VerifiedModel(this, snapshot, onnx, checked);
        try (LogContext context = LogContext.model(report.modelName(), loaded.digest())) {
          LOG.info(
              "model {} {} verified ({} files) in snapshot {}",
              report.modelName(),
              loaded.digest(),
              report.resourcesChecked(),
              snapshot);
        }
        return loaded;
      } catch (IOException e) {
        ModelSnapshot.deleteTree(snapshot);
        throw new InputException(
            "cannot copy model " + model + " for verification: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        ModelSnapshot.deleteTree(snapshot);
        auditRefusal(e);
        throw e;
      }
    }

    private List<Path> signatureFiles() {
      if (signatures == null) {
        if (!Files.isDirectory(model)) {
          throw new IllegalStateException("a single-file model needs signature(path)");
        }
        return List.of(model.resolve(DEFAULT_SIGNATURE));
      }
      if (signatures.size() > 1 && !check.takesSeveralSignatures()) {
        throw new IllegalStateException(
            "a key verifies one signature file; several need a trust policy (policy(...))");
      }
      return signatures;
    }

    private void auditRefusal(RuntimeException e) {
      if (auditSink == null) {
        return;
      }
      try {
        auditSink.append(
            new AuditEvent(
                clock.instant(),
                actor,
                "model.load",
                model.toString(),
                "refused",
                Map.of("reason", String.valueOf(e.getMessage()))));
      } catch (AirgapException auditFailure) {
        e.addSuppressed(auditFailure);
      }
    }

    private String chooseModelFile(List<String> names) {
      if (modelFile != null) {
        if (!names.contains(modelFile)) {
          throw new InputException("model " + model + " has no file " + modelFile);
        }
        return modelFile;
      }
      List<String> onnx = names.stream().filter(n -> n.endsWith(".onnx")).toList();
      if (onnx.size() != 1) {
        throw new InputException(
            "model "
                + model
                + (onnx.isEmpty() ? " has no .onnx file" : " has several .onnx files " + onnx)
                + "; name the one to load with modelFile(...)");
      }
      return onnx.get(0);
    }
  }
}
