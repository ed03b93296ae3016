package io.airgap.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxModelMetadata;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import io.airgap.core.LogContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ONNX Runtime session over a {@link VerifiedModel}, on the device its {@link DevicePolicy}
 * allows, reporting the provider that really runs it. Inputs are checked against the model's
 * declared inputs before any native code runs; outputs come back as Java-owned {@link Tensor}s and
 * every native handle is closed. One session serves many threads at once; {@link #close()} waits
 * for runs in flight and later calls fail with {@link SessionClosedException}. Thread-safe.
 */
public final class InferenceSession implements AutoCloseable {
  /** ONNX Runtime's name for the CPU provider. */
  public static final String CPU_PROVIDER = "CPUExecutionProvider";

  /** ONNX Runtime's name for the CUDA provider. */
  public static final String CUDA_PROVIDER = "CUDAExecutionProvider";

  /** ONNX Runtime's name for the TensorRT provider. */
  public static final String TENSORRT_PROVIDER = "TensorrtExecutionProvider";

  private static final Logger LOG = LoggerFactory.getLogger(InferenceSession.class);

  private final VerifiedModel model;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final String provider;
  private final String fallbackReason;
  private final List<TensorSpec> inputs;
  private final List<TensorSpec> outputs;
  private final InferenceListener listener;
  private final String digest;
  // Runs count themselves in and out; close raises the flag, then waits for the count to reach
  // zero. Each side writes before it reads the other's variable, so a run either sees the flag
  // and never calls native code, or is counted and waited for. Two atomic operations per run,
  // no lock on the hot path.
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object drained = new Object();
  private final Map<String, TensorSpec> inputsByName;
  private final List<SharedDimension> sharedDimensions;
  private volatile boolean closed;
  private volatile boolean released;

  /**
   * A symbolic dimension one input shares by name with an earlier one ({@code batch} in both {@code
   * input_ids [batch, sequence]} and {@code attention_mask [batch, sequence]}): the sizes given
   * must agree, or broadcasting could pair one caller's rows with another's.
   */
  private record SharedDimension(
      String symbol, String firstInput, int firstDimension, String input, int dimension) {
    boolean agrees(Map<String, Tensor> given) {
      Tensor first = given.get(firstInput);
      Tensor other = given.get(input);
      return first == null
          || other == null
          || first.shapeView().length <= firstDimension
          || other.shapeView().length <= dimension
          || first.shapeView()[firstDimension] == other.shapeView()[dimension];
    }

    String problem(Map<String, Tensor> given) {
      return "input "
          + input
          + " dimension "
          + dimension
          + " ("
          + symbol
          + ") is "
          + given.get(input).shapeView()[dimension]
          + ", but input "
          + firstInput
          + " has "
          + symbol
          + " "
          + given.get(firstInput).shapeView()[firstDimension];
    }
  }

  private InferenceSession(Builder builder, Opened opened) throws OrtException {
    this.model = builder.model;
    this.env = opened.env;
    this.session = opened.session;
    this.provider = opened.provider;
    this.fallbackReason = opened.fallbackReason;
    this.inputs = specs(session.getInputInfo());
    this.outputs = specs(session.getOutputInfo());
    this.listener = builder.listeners.isEmpty() ? null : InferenceListener.all(builder.listeners);
    this.digest = model.digest();
    Map<String, TensorSpec> byName = new java.util.HashMap<>();
    inputs.forEach(spec -> byName.put(spec.name(), spec));
    this.inputsByName = byName;
    this.sharedDimensions = sharedDimensions(inputs);
  }

  private static List<SharedDimension> sharedDimensions(List<TensorSpec> inputs) {
    Map<String, String> firstInput = new java.util.HashMap<>();
    Map<String, Integer> firstDimension = new java.util.HashMap<>();
    List<SharedDimension> shared = new ArrayList<>();
    for (TensorSpec spec : inputs) {
      String[] names = spec.dimensionNames();
      long[] shape = spec.shape();
      for (int d = 0; d < shape.length; d++) {
        if (shape[d] >= 0 || names[d].isEmpty()) {
          continue;
        }
        if (firstInput.containsKey(names[d])) {
          shared.add(
              new SharedDimension(
                  names[d],
                  firstInput.get(names[d]),
                  firstDimension.get(names[d]),
                  spec.name(),
                  d));
        } else {
          firstInput.put(names[d], spec.name());
          firstDimension.put(names[d], d);
        }
      }
    }
    return List.copyOf(shared);
  }

  /** A builder for a session over {@code model}. */
  public static Builder builder(VerifiedModel model) {
    return new Builder(model);
  }

  /** The model this session runs. */
  public VerifiedModel model() {
    return model;
  }

  /**
   * The execution provider that runs the model: {@value #CPU_PROVIDER}, {@value #CUDA_PROVIDER} or
   * {@value #TENSORRT_PROVIDER}. Under {@link DevicePolicy#requireGpu()} no node runs anywhere
   * else; under {@link DevicePolicy#preferGpu()} ONNX Runtime may still place nodes CUDA cannot run
   * on the CPU.
   */
  public String provider() {
    return provider;
  }

  /** Why a preferred GPU was not used, when it was not. */
  public Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  /** The declared inputs, in the model's order. */
  public List<TensorSpec> inputs() {
    return inputs;
  }

  /** The declared outputs, in the model's order. */
  public List<TensorSpec> outputs() {
    return outputs;
  }

  /** The model's metadata: producer, graph, description, version and custom properties. */
  public Map<String, String> metadata() {
    return guarded((self, unused) -> self.readMetadata(), null);
  }

  private Map<String, String> readMetadata() throws OrtException {
    OnnxModelMetadata meta = session.getMetadata();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("producer", meta.getProducerName());
    all.put("graph", meta.getGraphName());
    all.put("domain", meta.getDomain());
    all.put("description", meta.getDescription());
    all.put("version", Long.toString(meta.getVersion()));
    meta.getCustomMetadata().forEach((k, v) -> all.put("custom." + k, v));
    return Collections.unmodifiableMap(all);
  }

  /**
   * Runs the model, with the {@link LogContext} keys (model, digest, request) set for the run.
   *
   * @param given one tensor per declared input, by name
   * @return every output by name, in the model's order
   * @throws InputMismatchException listing every missing, extra or ill-typed input, before any
   *     native code runs
   * @throws SessionClosedException after {@link #close()}
   * @throws InferenceException when ONNX Runtime fails the run
   */
  public Map<String, Tensor> run(Map<String, Tensor> given) {
    try (LogContext context = LogContext.request(model.name(), digest)) {
      if (listener == null) {
        return runUnobserved(given);
      }
      long start = System.nanoTime();
      Map<String, Tensor> results = runUnobserved(given);
      notifyListener(given, results, 0, System.nanoTime() - start);
      return results;
    }
  }

  /** Runs without telling the listener (the self-test's golden inputs are not live data). */
  Map<String, Tensor> runUnobserved(Map<String, Tensor> given) {
    validate(given);
    return guarded(InferenceSession::runNative, given);
  }

  /**
   * Checks names, types, ranks, fixed dimensions and that symbolic dimensions of one name agree
   * across inputs; lists every problem at once.
   */
  void validate(Map<String, Tensor> given) {
    // The common case allocates nothing: only a mismatch builds the list of problems.
    if (given.size() == inputs.size()) {
      boolean fits = true;
      for (TensorSpec spec : inputs) {
        Tensor tensor = given.get(spec.name());
        if (tensor == null || !spec.fits(tensor)) {
          fits = false;
          break;
        }
      }
      for (int i = 0; fits && i < sharedDimensions.size(); i++) {
        fits = sharedDimensions.get(i).agrees(given);
      }
      if (fits) {
        return;
      }
    }
    List<String> problems = new ArrayList<>();
    java.util.Set<String> fitting = new java.util.HashSet<>();
    for (TensorSpec spec : inputs) {
      Tensor tensor = given.get(spec.name());
      if (tensor != null && spec.fits(tensor)) {
        fitting.add(spec.name());
      }
      if (tensor == null) {
        problems.add("missing input " + spec);
      } else if (spec.type() == null) {
        problems.add("input " + spec.name() + " has unsupported type " + spec.onnxType());
      } else {
        problems.addAll(spec.mismatches(tensor));
      }
    }
    for (SharedDimension dimension : sharedDimensions) {
      // Inputs that are wrong by themselves are reported once, above.
      if (fitting.contains(dimension.firstInput())
          && fitting.contains(dimension.input())
          && !dimension.agrees(given)) {
        problems.add(dimension.problem(given));
      }
    }
    for (String name : given.keySet()) {
      if (!inputsByName.containsKey(name)) {
        problems.add("unknown input " + name + " (the model takes " + inputNames() + ")");
      }
    }
    throw new InputMismatchException(model.name(), problems);
  }

  private List<String> inputNames() {
    return inputs.stream().map(TensorSpec::name).toList();
  }

  private Map<String, Tensor> runNative(Map<String, Tensor> given) throws OrtException {
    Map<String, OnnxTensor> native_ = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, Tensor> entry : given.entrySet()) {
        native_.put(entry.getKey(), entry.getValue().toOnnx(env));
      }
      try (OrtSession.Result result = session.run(native_)) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, OnnxValue> entry : result) {
          if (!(entry.getValue() instanceof OnnxTensor tensor)) {
            throw new InferenceException(
                "output " + entry.getKey() + " of model " + model.name() + " is not a tensor");
          }
          out.put(entry.getKey(), Tensor.fromOnnx(tensor, entry.getKey()));
        }
        return Collections.unmodifiableMap(out);
      }
    } finally {
      native_.values().forEach(OnnxTensor::close);
    }
  }

  void notifyListener(
      Map<String, Tensor> given, Map<String, Tensor> results, long queueNanos, long runNanos) {
    if (listener == null) {
      return;
    }
    try {
      listener.onRun(
          new InferenceListener.RunEvent(
              model.name(), digest, queueNanos, runNanos, batchSize(given), given, results));
    } catch (RuntimeException e) {
      LOG.warn("inference listener failed for model {}: {}", model.name(), e.toString());
    }
  }

  /**
   * The rows of a run: the first dimension of the model's first declared input, so the answer does
   * not depend on the order of the caller's map ({@code Map.of} has none).
   */
  private long batchSize(Map<String, Tensor> given) {
    Tensor tensor = inputs.isEmpty() ? null : given.get(inputs.get(0).name());
    if (tensor == null) {
      return 0;
    }
    long[] shape = tensor.shapeView();
    return shape.length == 0 ? 1 : shape[0];
  }

  /**
   * A native call counted in flight, refused once closing began. The call takes the session and its
   * argument, so a method reference to it captures nothing and the hot path allocates no lambda.
   */
  private <A, T> T guarded(NativeCall<A, T> call, A argument) {
    if (closed) {
      // Refused without being counted: a stream of late calls must not keep close() waiting.
      throw new SessionClosedException(model.name());
    }
    inFlight.incrementAndGet();
    try {
      if (closed) {
        throw new SessionClosedException(model.name()); // closing began since the check above
      }
      return call.call(this, argument);
    } catch (OrtException e) {
      throw new InferenceException(
          "ONNX Runtime failed on model " + model.name() + " (" + provider + "): " + e.getMessage(),
          e);
    } finally {
      if (inFlight.decrementAndGet() == 0 && closed) {
        synchronized (drained) {
          drained.notifyAll();
        }
      }
    }
  }

  /**
   * Raises the closed flag and waits until no run is in flight; false when another call closes the
   * session, after waiting until it has (so no caller returns from close() while runs are still in
   * flight or the native session is still open).
   */
  private boolean closeGate() {
    synchronized (drained) {
      if (closed) {
        awaitDrained(() -> released);
        return false;
      }
      closed = true; // new runs fail from here on
      awaitDrained(() -> inFlight.get() == 0);
      return true;
    }
  }

  /**
   * Waits on {@code drained} (whose monitor the caller holds) until {@code done}; an interrupt does
   * not cut the wait short (closing must finish) but is kept for the caller.
   */
  private void awaitDrained(java.util.function.BooleanSupplier done) {
    boolean interrupted = false;
    while (!done.getAsBoolean()) {
      try {
        drained.wait(100);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** A call into ONNX Runtime on a session, with one argument. */
  @FunctionalInterface
  private interface NativeCall<A, T> {
    T call(InferenceSession session, A argument) throws OrtException;
  }

  /**
   * Closes the session once the runs in flight end; later calls fail with {@link
   * SessionClosedException}. The {@link VerifiedModel} stays open (close it separately).
   */
  @Override
  public void close() {
    if (!closeGate()) {
      return;
    }
    try {
      session.close();
      model.audit("model.close", "success", Map.of("provider", provider));
    } catch (OrtException e) {
      throw new InferenceException(
          "closing the session of " + model.name() + " failed: " + e.getMessage(), e);
    } finally {
      release();
    }
  }

  /** Marks the native session closed and wakes other close() calls waiting for it. */
  private void release() {
    synchronized (drained) {
      released = true;
      drained.notifyAll();
    }
  }

  /** Closes a session that never became usable (a failed self-test): nothing to audit. */
  private void closeWithoutAudit() {
    if (closeGate()) {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.debug("closing a refused session failed: {}", e.getMessage());
      } finally {
        release();
      }
    }
  }

  private static List<TensorSpec> specs(Map<String, NodeInfo> infos) {
    List<TensorSpec> specs = new ArrayList<>();
    for (NodeInfo node : infos.values()) {
      if (node.getInfo() instanceof TensorInfo info) {
        specs.add(
            new TensorSpec(
                node.getName(),
                ElementType.of(info.onnxType),
                TensorSpec.onnxName(info.onnxType),
                info.getShape(),
                info.getDimensionNames()));
      } else {
        specs.add(
            new TensorSpec(
                node.getName(), null, node.getInfo().toString(), new long[0], new String[0]));
      }
    }
    return Collections.unmodifiableList(specs);
  }

  /** A created ONNX Runtime session and where it runs. */
  private record Opened(
      OrtEnvironment env, OrtSession session, String provider, String fallbackReason) {}

  /** Builds an {@link InferenceSession}. */
  public static final class Builder {
    private final VerifiedModel model;
    private DevicePolicy device = DevicePolicy.cpu();
    private RuntimeOptions options = RuntimeOptions.defaults();
    private final List<InferenceListener> listeners = new ArrayList<>();
    private SelfTest selfTest = SelfTest.defaults();

    private Builder(VerifiedModel model) {
      this.model = model;
    }

    /** Where the model may run (default {@link DevicePolicy#cpu()}). */
    public Builder device(DevicePolicy policy) {
      this.device = java.util.Objects.requireNonNull(policy, "device");
      return this;
    }

    /** Session settings (default {@link RuntimeOptions#defaults()}). */
    public Builder options(RuntimeOptions runtimeOptions) {
      this.options = java.util.Objects.requireNonNull(runtimeOptions, "options");
      return this;
    }

    /**
     * The tolerance of the self-test run at open when the model carries golden inputs and outputs
     * (default {@link SelfTest#defaults()}).
     */
    public Builder selfTest(SelfTest tolerance) {
      this.selfTest = java.util.Objects.requireNonNull(tolerance, "selfTest");
      return this;
    }

    /**
     * Adds a listener called after every run; several are called in the order they were added (see
     * {@link InferenceListener#all}).
     */
    public Builder listener(InferenceListener runListener) {
      listeners.add(java.util.Objects.requireNonNull(runListener, "listener"));
      return this;
    }

    /**
     * Creates the session on the device the policy allows.
     *
     * @throws DeviceUnavailableException when a GPU is required and does not start
     * @throws InferenceException when ONNX Runtime refuses the model
     */
    public InferenceSession open() {
      try (LogContext context = LogContext.model(model.name(), model.digest())) {
        return openLogged();
      }
    }

    private InferenceSession openLogged() {
      OrtEnvironment env = NativeRuntime.environment();
      Opened opened;
      try {
        opened = create(env);
      } catch (RuntimeException e) {
        auditRefusal(e, "model.load", "refused", String.valueOf(e.getMessage()));
        throw e;
      }
      InferenceSession session;
      try {
        session = new InferenceSession(this, opened);
      } catch (OrtException e) {
        closeQuietly(opened.session);
        throw new InferenceException(
            "cannot read the inputs and outputs of model " + model.name() + ": " + e.getMessage(),
            e);
      }
      String selfTestOutcome = runSelfTest(session);
      try {
        model.audit(
            "model.load",
            "success",
            Map.of(
                "provider",
                opened.provider,
                "device",
                device.mode().name().toLowerCase(java.util.Locale.ROOT),
                "signer",
                model.report().signer(),
                "selfTest",
                selfTestOutcome));
      } catch (RuntimeException e) {
        // A load the audit log cannot record is not a load: no session, no native handle left.
        session.closeWithoutAudit();
        throw e;
      }
      LOG.info(
          "model {} {} loaded on {} (self-test: {})",
          model.name(),
          model.digest(),
          opened.provider,
          selfTestOutcome);
      return session;
    }

    /** Runs the golden inputs when the model has them; refuses the model when they fail. */
    private String runSelfTest(InferenceSession session) {
      try {
        if (!SelfTest.present(model)) {
          return "none";
        }
        return "passed (" + selfTest.run(session) + " outputs)";
      } catch (RuntimeException e) {
        session.closeWithoutAudit();
        auditRefusal(e, "model.selftest", "failed", String.valueOf(e.getMessage()));
        auditRefusal(e, "model.load", "refused", "self-test failed");
        throw e;
      }
    }

    /**
     * Records why the model was refused; an audit failure is kept as suppressed by {@code refusal}
     * so the reason the caller sees is still the refusal's.
     */
    private void auditRefusal(
        RuntimeException refusal, String action, String outcome, String reason) {
      try {
        model.audit(action, outcome, Map.of("reason", reason));
      } catch (RuntimeException auditFailure) {
        refusal.addSuppressed(auditFailure);
      }
    }

    /**
     * The session on the GPU when the policy wants one and it works, else on the CPU. Two GPU
     * failures are told apart: the provider could not be added (its libraries), or the session
     * could not be created with it (the device, the driver, GPU memory, or nodes the provider
     * leaves to the CPU under requireGpu). Under preferGpu the CPU is then tried, and if it refuses
     * the model too, the model is at fault and its own error is thrown; requireGpu reports the
     * runtime's reason without loading the model a second time.
     */
    private Opened create(OrtEnvironment env) {
      String file = model.modelFile().toString(); // a closed model fails here, not as a GPU fault
      checkOptimizedModelFile();
      if (!device.wantsGpu()) {
        return new Opened(env, createSession(env, file, false), CPU_PROVIDER, null);
      }
      String gpu = device.tensorRt() ? "TensorRT/CUDA" : "CUDA";
      try {
        OrtSession session = createSession(env, file, true);
        return new Opened(
            env, session, device.tensorRt() ? TENSORRT_PROVIDER : CUDA_PROVIDER, null);
      } catch (ProviderUnavailable e) {
        String reason = e.getCause().getMessage();
        if (device.mode() == DevicePolicy.Mode.REQUIRE_GPU) {
          throw new DeviceUnavailableException(
              "model "
                  + model.name()
                  + " requires a GPU, but "
                  + gpu
                  + " did not start on device "
                  + device.cudaDevice()
                  + ": "
                  + reason
                  + "; run 'airgap doctor' to see which GPU libraries were found",
              e);
        }
        LOG.warn("model {}: {} did not start ({}); running on the CPU", model.name(), gpu, reason);
        return new Opened(env, createSession(env, file, false), CPU_PROVIDER, reason);
      } catch (InferenceException e) {
        String reason =
            "ONNX Runtime could not create it on "
                + gpu
                + " device "
                + device.cudaDevice()
                + ": "
                + e.getCause().getMessage();
        if (device.mode() == DevicePolicy.Mode.REQUIRE_GPU) {
          throw new DeviceUnavailableException(
              "model "
                  + model.name()
                  + " requires a GPU, but "
                  + reason
                  + "; run 'airgap doctor' to check the device and driver; where the reason names"
                  + " nodes assigned to the CPU, the model needs preferGpu, which lets them run"
                  + " there",
              e);
        }
        OrtSession cpu = createSession(env, file, false); // throws when the model is at fault
        LOG.warn("model {}: {}; running on the CPU", model.name(), reason);
        return new Opened(env, cpu, CPU_PROVIDER, reason);
      }
    }

    /**
     * Refuses an optimised-model file inside the snapshot or the model directory: ONNX Runtime
     * writes it on every session creation, so there it would overwrite a verified file or add an
     * unsigned one beside them (which the next verification of the directory refuses). The file is
     * only ever written, never loaded.
     */
    private void checkOptimizedModelFile() {
      Path cache = options.optimizedModelCache();
      if (cache == null) {
        return;
      }
      Path target = cache.toAbsolutePath().normalize();
      Path source = model.source().toAbsolutePath().normalize();
      boolean inside =
          target.startsWith(model.snapshot().toAbsolutePath().normalize())
              || (Files.isDirectory(source) ? target.startsWith(source) : target.equals(source));
      if (inside) {
        throw new InferenceException(
            "the optimised-model file "
                + cache
                + " lies inside model "
                + model.name()
                + " (its directory or snapshot), where ONNX Runtime would write unverified bytes;"
                + " name a file elsewhere");
      }
    }

    /** The GPU execution provider could not be added: its libraries or the device are missing. */
    private static final class ProviderUnavailable extends InferenceException {
      private static final long serialVersionUID = 1L;

      ProviderUnavailable(OrtException cause) {
        super(cause.getMessage(), cause);
      }
    }

    private OrtSession createSession(OrtEnvironment env, String file, boolean gpu) {
      try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
        options.applyTo(sessionOptions);
        if (gpu) {
          try {
            addGpu(sessionOptions);
          } catch (OrtException e) {
            throw new ProviderUnavailable(e);
          }
        }
        return env.createSession(file, sessionOptions);
      } catch (OrtException e) {
        throw new InferenceException(
            "ONNX Runtime refused model "
                + model.name()
                + " ("
                + model.modelFileName()
                + ")"
                + (gpu ? " on the GPU" : "")
                + ": "
                + e.getMessage(),
            e);
      }
    }

    private void addGpu(OrtSession.SessionOptions sessionOptions) throws OrtException {
      if (device.mode() == DevicePolicy.Mode.REQUIRE_GPU) {
        // Without this ONNX Runtime silently places nodes CUDA cannot run on the CPU.
        sessionOptions.addConfigEntry("session.disable_cpu_ep_fallback", "1");
      }
      if (device.tensorRt()) {
        try (OrtTensorRTProviderOptions trt = new OrtTensorRTProviderOptions(device.cudaDevice())) {
          sessionOptions.addTensorrt(trt);
        }
      }
      try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device.cudaDevice())) {
        if (device.gpuMemoryLimit() > 0) {
          cuda.add("gpu_mem_limit", Long.toString(device.gpuMemoryLimit()));
        }
        sessionOptions.addCUDA(cuda);
      }
    }

    private static void closeQuietly(OrtSession session) {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.debug("closing a half-opened session failed: {}", e.getMessage());
      }
    }
  }
}
