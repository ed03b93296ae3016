package io.airgap.inference;

import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import io.airgap.core.LogContext;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditSink;
import io.airgap.core.signing.ModelSignatureVerifier;
import io.airgap.core.signing.VerificationReport;
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
  private final AuditSink auditSink;
  private final String actor;
  private final Clock clock;
  private volatile boolean closed;

  private VerifiedModel(
      Builder builder, Path snapshot, String modelFileName, VerificationReport report) {
    this.source = builder.model;
    this.snapshot = snapshot;
    this.modelFileName = modelFileName;
    this.modelFile = snapshot.resolve("model").resolve(modelFileName);
    this.report = report;
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

  /**
   * The verification report: the signed manifest (every file checked) and the signer (a key hint, a
   * certificate subject, or under a trust policy its version, role and the keys that counted).
   */
  public VerificationReport report() {
    return report;
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
    private ModelSignatureVerifier verifier;
    private String modelFile;
    private Path workDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private AuditSink auditSink;
    private String actor = System.getProperty("user.name", "unknown");
    private Clock clock = Clock.systemUTC();

    private Builder(Path model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /**
     * The OMS signature file (default: {@value #DEFAULT_SIGNATURE} inside the directory; required
     * for a single-file model).
     *
     * @throws IllegalStateException when {@link #signatures} was already called
     */
    public Builder signature(Path file) {
      Objects.requireNonNull(file, "signature file");
      requireNoSignatures("signature(...)");
      this.signatures = List.of(file);
      return this;
    }

    /**
     * Several OMS signature files, one per signer, for a verifier under a trust policy; inside or
     * beside the model directory (those inside are not part of the model).
     *
     * @throws IllegalStateException when {@link #signature} was already called
     */
    public Builder signatures(List<Path> files) {
      Objects.requireNonNull(files, "signature files");
      if (files.isEmpty()) {
        throw new IllegalArgumentException("at least one signature file is required");
      }
      requireNoSignatures("signatures(...)");
      this.signatures = List.copyOf(files);
      return this;
    }

    private void requireNoSignatures(String setting) {
      if (signatures != null) {
        throw new IllegalStateException(
            setting + " conflicts with signature(...)/signatures(...) given before; give one");
      }
    }

    /**
     * How the model is verified (required): a {@code ModelVerifier} (one public key, or trust
     * anchors for certificate signatures) or {@code PolicyVerifier.forModel(name, version)} (m of n
     * keys under a signed trust policy, with rollback protection).
     *
     * @throws IllegalStateException when a verifier was already set
     */
    public Builder verifier(ModelSignatureVerifier signatureVerifier) {
      Objects.requireNonNull(signatureVerifier, "verifier");
      if (verifier != null) {
        throw new IllegalStateException("verifier(...) is already set; give one verifier");
      }
      this.verifier = signatureVerifier;
      return this;
    }

    /** The ONNX file to load, relative to the directory (default: the only {@code .onnx}). */
    public Builder modelFile(String relativeName) {
      Objects.requireNonNull(relativeName, "model file");
      if (modelFile != null) {
        throw new IllegalStateException("modelFile(...) is already " + modelFile + "; give one");
      }
      this.modelFile = relativeName;
      return this;
    }

    /** Where the private snapshot directory is created (default {@code java.io.tmpdir}). */
    public Builder workDirectory(Path directory) {
      this.workDirectory = Objects.requireNonNull(directory, "work directory");
      return this;
    }

    /** Records loads, refusals and closes here. */
    public Builder auditSink(AuditSink sink, String actorName) {
      this.auditSink = Objects.requireNonNull(sink, "audit sink");
      this.actor = Objects.requireNonNull(actorName, "actor name");
      return this;
    }

    /** The clock audit events are stamped with. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
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
      if (verifier == null) {
        throw new IllegalStateException(
            "verifier(...) is required: a ModelVerifier (public key or trust anchors) or"
                + " PolicyVerifier.forModel(...)");
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
        VerificationReport report = verifier.verify(verifiedPath, copiedSignatures);
        LOG.debug("signatures {} verified over the snapshot of {}", signatureFiles, model);
        // Files the signature does not cover (ignored paths, unsigned files a verifier was told
        // to tolerate) leave the snapshot: everything a host reads from it was verified.
        List<String> signed =
            directory ? ModelSnapshot.keepSigned(copy, names, report.manifest()) : names;
        String onnx = chooseModelFile(signed);
        VerifiedModel loaded = new VerifiedModel(this, snapshot, onnx, report);
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
          throw new IllegalStateException(
              "model " + model + " is a single file: give its signature file with signature(...)");
        }
        return List.of(model.resolve(DEFAULT_SIGNATURE));
      }
      if (signatures.size() > 1 && !verifier.countsSeveralSignatures()) {
        throw new IllegalStateException(
            "signatures(...) names "
                + signatures.size()
                + " files but the verifier counts one; several signers need"
                + " PolicyVerifier.forModel(...)");
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
