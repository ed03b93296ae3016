package io.airgap.inference;

import io.airgap.core.AirgapException;
import io.airgap.core.InputException;
import io.airgap.core.LogContext;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditSink;
import io.airgap.core.manifest.ModelFile;
import io.airgap.core.manifest.ModelFiles;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.VerificationReport;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

  /** The verification report (every file checked, the signer). */
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
      deleteTree(snapshot);
    }
  }

  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("could not delete model snapshot {}: {}", root, e.getMessage());
    }
  }

  /** Builds a {@link VerifiedModel}. */
  public static final class Builder {
    private final Path model;
    private Path signature;
    private ModelVerifier verifier;
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
      this.signature = file;
      return this;
    }

    /** The verifier: a public key, or trust anchors for certificate signatures (required). */
    public Builder verifier(ModelVerifier modelVerifier) {
      this.verifier = modelVerifier;
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
      if (verifier == null) {
        throw new IllegalStateException("a verifier (public key or trust anchors) is required");
      }
      Path signatureFile =
          signature != null
              ? signature
              : Files.isDirectory(model) ? model.resolve(DEFAULT_SIGNATURE) : null;
      if (signatureFile == null) {
        throw new IllegalStateException("a single-file model needs signature(path)");
      }
      Path snapshot = createSnapshotDirectory();
      try {
        Path copy = snapshot.resolve("model");
        Path copiedSignature = snapshot.resolve("signature.json");
        List<String> names = copyModel(copy, signatureFile);
        Files.copy(signatureFile, copiedSignature, LinkOption.NOFOLLOW_LINKS);
        String onnx = chooseModelFile(names);
        Path verifiedPath = Files.isDirectory(model) ? copy : copy.resolve(onnx);
        VerificationReport report = verify(verifiedPath, copiedSignature, signatureFile);
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
        deleteTree(snapshot);
        throw new InputException(
            "cannot copy model " + model + " for verification: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        deleteTree(snapshot);
        auditRefusal(e);
        throw e;
      }
    }

    private VerificationReport verify(Path copy, Path copiedSignature, Path original) {
      VerificationReport report = verifier.verify(copy, copiedSignature);
      if (!report.verified()) {
        throw new io.airgap.core.signing.ManifestMismatchException(report);
      }
      LOG.debug("signature {} verified over the snapshot of {}", original, model);
      return report;
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

    private Path createSnapshotDirectory() {
      try {
        Files.createDirectories(workDirectory);
        boolean posix =
            workDirectory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) {
          FileAttribute<Set<PosixFilePermission>> owner =
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
          return Files.createTempDirectory(workDirectory, "airgap-model-", owner);
        }
        return Files.createTempDirectory(workDirectory, "airgap-model-");
      } catch (IOException e) {
        throw new InputException(
            "cannot create a private snapshot directory under "
                + workDirectory
                + ": "
                + e.getMessage(),
            e);
      }
    }

    /**
     * Copies every model file (refusing links and special files) but the signature, which is
     * verified from its own copy, and returns their names.
     */
    private List<String> copyModel(Path copy, Path signatureFile) throws IOException {
      List<String> names = new ArrayList<>();
      if (!Files.isDirectory(model)) {
        Files.createDirectory(copy);
        Files.copy(model, copy.resolve(model.getFileName().toString()), LinkOption.NOFOLLOW_LINKS);
        names.add(model.getFileName().toString());
        return names;
      }
      Set<String> signatureName =
          ModelFiles.relativeName(model, signatureFile).map(Set::of).orElse(Set.of());
      for (ModelFile file : ModelFiles.list(model, signatureName, false)) {
        Path target = copy.resolve(file.name());
        Files.createDirectories(target.getParent());
        Files.copy(
            file.path(), target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.REPLACE_EXISTING);
        names.add(file.name());
      }
      return names;
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
