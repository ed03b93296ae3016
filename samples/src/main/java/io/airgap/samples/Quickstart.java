package io.airgap.samples;

import ai.onnxruntime.OrtEnvironment;
import io.airgap.audit.AuditLog;
import io.airgap.audit.AuditLogReader;
import io.airgap.audit.AuditVerifier;
import io.airgap.audit.Checkpoint;
import io.airgap.audit.TlogProof;
import io.airgap.audit.note.NoteSigner;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import io.airgap.core.audit.AuditSink;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.deps.BundleOptions;
import io.airgap.deps.Bundles;
import io.airgap.deps.ContentStore;
import io.airgap.deps.DependencySpec;
import io.airgap.deps.DirectoryMirror;
import io.airgap.deps.LockedArtifact;
import io.airgap.deps.Locker;
import io.airgap.deps.Lockfile;
import io.airgap.deps.MavenRepository;
import io.airgap.deps.Repository;
import io.airgap.deps.Resolver;
import io.airgap.deps.VerifiedBundle;
import io.airgap.deps.VerifyOptions;
import io.airgap.drift.DriftProfile;
import io.airgap.drift.monitor.DriftMonitor;
import io.airgap.inference.DevicePolicy;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.NativeRuntime;
import io.airgap.inference.VerifiedModel;
import io.airgap.metrics.AirgapMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole chain on embedded defaults, in a fresh workspace: keys, a signed model, a lock and a
 * signed bundle carrying the model and ONNX Runtime's native libraries, verification and import on
 * the isolated side, offline resolution, a verified load (GPU when present, else CPU), a batch of
 * predictions, drift detection on shifted inputs, and an audit log recording every step, verified
 * at the end, with an inclusion proof exported for an auditor. The README's first command runs it.
 *
 * <p>Usage: {@code java -jar samples/target/airgap-samples.jar [WORKSPACE]} (default: a new
 * directory under the system's temporary directory). Exits 0 when every step held.
 */
public final class Quickstart {
  private static final String ACTOR = "quickstart";

  private final Path work;
  private final PrintStream out;
  private final Map<String, String> evidence = new LinkedHashMap<>();
  private final Map<String, Long> entries = new LinkedHashMap<>();
  private final List<String> actions = new ArrayList<>();
  // What a site's Prometheus would scrape; here a simple registry, read back in the summary.
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AirgapMetrics metrics = AirgapMetrics.on(registry);
  private int step;

  private Quickstart(Path work, PrintStream out) {
    this.work = work;
    this.out = out;
  }

  /**
   * What the chain left behind.
   *
   * @param workspace the directory holding everything
   * @param provider the execution provider that ran the model
   * @param correct flowers classified right, of {@code rows}
   * @param rows flowers classified
   * @param decisions the drift monitor's decisions, one per window
   * @param log the audit log's verified checkpoint
   * @param auditedActions the action of every audit entry, in log order
   * @param evidence the evidence files by description
   */
  public record Outcome(
      Path workspace,
      String provider,
      int correct,
      int rows,
      List<DriftMonitor.Decision> decisions,
      Checkpoint log,
      List<String> auditedActions,
      Map<String, String> evidence) {}

  /** Runs the chain in {@code args[0]} or a fresh temporary workspace. */
  public static void main(String[] args) throws IOException {
    Path work =
        args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Workspace.fresh("quickstart");
    run(work, System.out);
  }

  /** Runs the chain in {@code work}, telling {@code out} each step. */
  public static Outcome run(Path work, PrintStream out) throws IOException {
    return new Quickstart(work, out).chain();
  }

  private Outcome chain() throws IOException {
    out.println("airgap quickstart in " + work);
    step("generate an ECDSA P-256 signing key and an Ed25519 audit log key");
    SigningKey signer = Pem.generate(KeyType.ECDSA_P256);
    Files.writeString(work.resolve("signer.pub.pem"), Pem.publicKeyPem(signer.publicKey()));
    NoteSigner auditKey = NoteSigner.generate("quickstart.airgap.local/audit");
    Files.writeString(work.resolve("audit.vkey"), auditKey.verifier() + "\n");
    evidence.put("signer public key", "signer.pub.pem");
    evidence.put("audit verifier key", "audit.vkey");

    Path auditDir = work.resolve("isolated/audit");
    Outcome outcome;
    try (AuditLog log =
        AuditLog.builder(auditDir).origin(auditKey.name()).signer(auditKey).open()) {
      AuditSink audit = metrics.auditSink(event -> record(log, event));
      Path lockFile = connectedSide(signer, audit);
      Path deploy = isolatedSide(signer, audit, lockFile);
      outcome = serve(signer, audit, deploy);
    }
    return finish(outcome, auditDir, auditKey);
  }

  // ------------------------------------------------------------------ connected side

  private Path connectedSide(SigningKey signer, AuditSink audit) throws IOException {
    step("connected side: write the sample model and sign it (OMS v1.0)");
    Path mirror = work.resolve("connected/mirror");
    String digest = SampleModel.writeSigned(mirror.resolve("models/iris"), signer);
    audit.append(event("model.sign", "iris@" + digest, "success", Map.of()));
    evidence.put("model signature", "connected/mirror/models/iris/model.sig");

    step("lock the model and ONNX Runtime's native libraries for " + NativeRuntime.platform());
    Optional<String> natives = onnxRuntimeRequest();
    List<Repository> repositories = new ArrayList<>(List.of(new DirectoryMirror(mirror)));
    localMavenRepository()
        .ifPresent(
            repo -> repositories.add(new MavenRepository(repo.toUri(), Duration.ofSeconds(10))));
    String spec =
        "{\"schemaVersion\": 1, \"artifacts\": [{\"name\": \"iris\", \"kind\": \"model\","
            + " \"source\": {\"type\": \"directory\", \"path\": \"models/iris\"}}"
            + natives.map(n -> ", " + n).orElse("")
            + "]}";
    if (natives.isEmpty()) {
      out.println(
          "   (ONNX Runtime's jar is not in the local Maven repository: bundling the model only)");
    }
    Path files = work.resolve("connected/files");
    Lockfile lock =
        Locker.lock(
            DependencySpec.parse(spec.getBytes(StandardCharsets.UTF_8), "quickstart spec"),
            repositories,
            files);
    Path lockFile = work.resolve("connected/" + Lockfile.FILE_NAME);
    lock.write(lockFile);
    for (LockedArtifact artifact : lock.artifacts()) {
      out.println(
          "   "
              + artifact.name()
              + ": "
              + artifact.files().size()
              + " file(s), "
              + artifact.size()
              + " bytes");
    }
    audit.append(
        event(
            "deps.lock",
            "airgap.lock.json",
            "success",
            Map.of("artifacts", Integer.toString(lock.artifacts().size()))));
    evidence.put("lockfile", "connected/" + Lockfile.FILE_NAME);

    step("write one signed bundle to carry across the gap");
    Path bundle = work.resolve("transfer/airgap-bundle.tar");
    Files.createDirectories(bundle.getParent());
    Bundles.create(lock, signer, bundle, BundleOptions.builder().files(files).build());
    audit.append(
        event(
            "bundle.create",
            bundle.getFileName().toString(),
            "success",
            Map.of("bytes", Long.toString(Files.size(bundle)))));
    evidence.put("bundle", "transfer/airgap-bundle.tar");
    return lockFile;
  }

  /** The spec entry for this platform's ONNX Runtime libraries, when the jar is at hand. */
  private static Optional<String> onnxRuntimeRequest() {
    Package runtime = OrtEnvironment.class.getPackage(); // not initialised: nothing loads yet
    String artifact = runtime == null ? null : runtime.getImplementationTitle();
    String version = runtime == null ? null : runtime.getImplementationVersion();
    Optional<Path> repo = localMavenRepository();
    if (artifact == null || version == null || repo.isEmpty()) {
      return Optional.empty();
    }
    Path jar =
        repo.get()
            .resolve("com/microsoft/onnxruntime/" + artifact + "/" + version)
            .resolve(artifact + "-" + version + ".jar");
    if (!Files.isRegularFile(jar)) {
      return Optional.empty();
    }
    return Optional.of(
        "{\"name\": \"onnxruntime-natives\", \"kind\": \"native-libraries\", \"source\": {\"type\":"
            + " \"maven\", \"coordinates\": \"com.microsoft.onnxruntime:"
            + artifact
            + ":"
            + version
            + "\", \"platforms\": \""
            + NativeRuntime.platform()
            + "\"}}");
  }

  /** The connected side's Maven repository: {@code maven.repo.local}, else {@code ~/.m2}. */
  private static Optional<Path> localMavenRepository() {
    String configured = System.getProperty("maven.repo.local");
    Path repo =
        configured != null
            ? Path.of(configured)
            : Path.of(System.getProperty("user.home"), ".m2", "repository");
    return Files.isDirectory(repo) ? Optional.of(repo.toAbsolutePath()) : Optional.empty();
  }

  // ------------------------------------------------------------------ isolated side

  private Path isolatedSide(SigningKey signer, AuditSink audit, Path lockFile) {
    Path bundle = work.resolve("transfer/airgap-bundle.tar");
    step("isolated side: verify the bundle's signature and every blob");
    VerifiedBundle verified = Bundles.verify(bundle, signer.publicKey(), VerifyOptions.defaults());
    audit.append(
        event(
            "bundle.verify",
            bundle.getFileName().toString(),
            "verified",
            Map.of(
                "artifacts",
                Integer.toString(verified.artifacts().size()),
                "created",
                verified.created().toString())));

    step("import it into the content store (staged, then moved in atomically)");
    Bundles.importInto(
        bundle, signer.publicKey(), work.resolve("isolated/store"), VerifyOptions.defaults());
    ContentStore store = ContentStore.open(work.resolve("isolated/store"));
    audit.append(event("bundle.import", store.root().toString(), "success", Map.of()));

    step("resolve the lock from the store alone, with no network");
    Path deploy = work.resolve("isolated/deploy");
    List<LockedArtifact> resolved = Resolver.materialize(Lockfile.read(lockFile), store, deploy);
    audit.append(
        event(
            "deps.resolve",
            "airgap.lock.json",
            "success",
            Map.of("artifacts", Integer.toString(resolved.size()))));
    Path natives = deploy.resolve("onnxruntime-natives").resolve(NativeRuntime.platform());
    if (Files.isDirectory(natives)) {
      // ONNX Runtime loads exactly the libraries that were locked and carried across.
      System.setProperty(NativeRuntime.NATIVE_PATH, natives.toString());
      out.println("   " + NativeRuntime.NATIVE_PATH + "=" + natives);
    }
    return deploy;
  }

  // ------------------------------------------------------------------ serving

  private Outcome serve(SigningKey signer, AuditSink audit, Path deploy) {
    Path dir = deploy.resolve("iris");
    step("load the model verified (GPU when present, else CPU) and classify a batch");
    try (VerifiedModel model =
        VerifiedModel.builder(dir)
            .verifier(verifier(signer))
            .workDirectory(work.resolve("isolated/snapshots"))
            .auditSink(audit, ACTOR)
            .load()) {
      DriftProfile reference = DriftMonitoring.referenceProfile(model, Iris.reference());
      List<DriftMonitor.Decision> decisions = new ArrayList<>();
      Consumer<DriftMonitor.Decision> keep = decisions::add;
      DriftMonitor monitor =
          DriftMonitoring.monitor(reference, audit, keep.andThen(metrics.driftListener()));
      try (InferenceSession session =
          InferenceSession.builder(model)
              .device(DevicePolicy.preferGpu())
              .listener(metrics.inferenceListener())
              .listener(monitor)
              .open()) {
        out.println("   " + model.name() + " " + model.digest() + " runs on " + session.provider());
        session.fallbackReason().ifPresent(reason -> out.println("   no GPU: " + reason));
        List<Iris.Flower> flowers = Iris.reference();
        float[] probabilities =
            session.run(SampleModel.input(flowers)).get(SampleModel.OUTPUT).floats();
        int correct = VerifiedInference.correct(flowers, probabilities);
        out.println("   classified " + flowers.size() + " flowers, " + correct + " correctly");
        audit.append(
            event(
                "model.run",
                model.name() + "@" + model.digest(),
                "success",
                Map.of("rows", Integer.toString(flowers.size()), "provider", session.provider())));

        step("watch for drift: that batch was one window; then a recalibrated sensor's flowers");
        DriftMonitoring.serve(session, Iris.shifted(flowers));
        decisions.forEach(decision -> out.println("   " + DriftMonitoring.describe(decision)));
        Path html =
            DriftMonitoring.writeReport(reference, decisions.get(decisions.size() - 1), work);
        evidence.put("drift report", work.relativize(html).toString());
        return new Outcome(
            work,
            session.provider(),
            correct,
            flowers.size(),
            List.copyOf(decisions),
            null,
            List.of(),
            evidence);
      }
    }
  }

  // ------------------------------------------------------------------ audit

  private Outcome finish(Outcome served, Path auditDir, NoteSigner auditKey) throws IOException {
    step("verify the audit log and export an inclusion proof of the model load");
    Checkpoint checkpoint = new AuditVerifier(List.of(auditKey.verifier())).verify(auditDir);
    out.println("   " + checkpoint.size() + " entries verified under " + checkpoint.origin());
    long index = entries.get("model.load");
    AuditLogReader reader = AuditLogReader.open(auditDir, List.of(auditKey.verifier()));
    TlogProof proof = reader.prove(index);
    Path proofFile = work.resolve("model-load.tlog-proof");
    Files.writeString(proofFile, proof.encode());
    Files.write(work.resolve("model-load.tlog-proof.entry"), reader.entry(index));
    Checkpoint proven =
        TlogProof.parse(Files.readAllBytes(proofFile), proofFile.toString())
            .verify(reader.entry(index), List.of(auditKey.verifier()));
    out.println("   entry " + index + " (model.load) proven in a tree of " + proven.size());
    out.println("   meters: " + meters());
    evidence.put("audit log", "isolated/audit");
    evidence.put("inclusion proof", "model-load.tlog-proof (+ .entry)");

    out.println();
    out.println(
        "quickstart passed: "
            + served.rows()
            + " flowers classified on "
            + served.provider()
            + ", drift caught, "
            + checkpoint.size()
            + " audited steps verified.");
    out.println("evidence in " + work + ":");
    evidence.forEach((what, where) -> out.println("  " + what + ": " + where));
    return new Outcome(
        work,
        served.provider(),
        served.correct(),
        served.rows(),
        served.decisions(),
        checkpoint,
        List.copyOf(actions),
        Map.copyOf(evidence));
  }

  /** A line of what the Micrometer meters saw (docs/observability.md lists them). */
  private String meters() {
    Timer runs = registry.find(AirgapMetrics.INFERENCE_RUN).timer();
    double loads =
        registry.find(AirgapMetrics.VERIFICATIONS).tags("action", "model.load").counters().stream()
            .mapToDouble(io.micrometer.core.instrument.Counter::count)
            .sum();
    return String.format(
        java.util.Locale.ROOT,
        "%s %d runs (mean %.0f us), %s %.0f model loads, %s %.0f, %s %.0f drifted of %.0f",
        AirgapMetrics.INFERENCE_RUN,
        runs == null ? 0 : runs.count(),
        runs == null ? 0.0 : runs.mean(TimeUnit.MICROSECONDS),
        AirgapMetrics.VERIFICATIONS,
        loads,
        AirgapMetrics.AUDIT_LOG_ENTRIES,
        registry.get(AirgapMetrics.AUDIT_LOG_ENTRIES).gauge().value(),
        AirgapMetrics.DRIFT_WINDOWS,
        windows("drifted"),
        windows("drifted") + windows("stable"));
  }

  private double windows(String outcome) {
    io.micrometer.core.instrument.Counter counter =
        registry.find(AirgapMetrics.DRIFT_WINDOWS).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private AuditReceipt record(AuditLog log, AuditEvent event) {
    AuditReceipt receipt = log.append(event);
    entries.putIfAbsent(event.action(), receipt.index());
    actions.add(event.action());
    return receipt;
  }

  private static AuditEvent event(
      String action, String subject, String outcome, Map<String, String> attributes) {
    return new AuditEvent(Instant.now(), ACTOR, action, subject, outcome, attributes);
  }

  private static ModelVerifier verifier(SigningKey signer) {
    return ModelVerifier.builder().publicKey(signer.publicKey()).build();
  }

  private void step(String what) {
    out.println("== " + ++step + ". " + what);
  }
}
