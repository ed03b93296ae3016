package io.airgap.benchmarks;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.inference.DynamicBatcher;
import io.airgap.inference.ElementType;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.NativeRuntime;
import io.airgap.inference.RuntimeOptions;
import io.airgap.inference.Tensor;
import io.airgap.inference.VerifiedModel;
import io.airgap.testing.OnnxModelBuilder;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Side-by-side inference measurements in one process, the two sides alternating so that machine
 * noise hits both alike:
 *
 * <ul>
 *   <li>{@code overhead}: median latency of one run through {@link InferenceSession} against the
 *       raw ONNX Runtime Java calls (tensor in, run, output copied out, everything closed), same
 *       thread settings, at batch 1, on a small MLP and on MiniLM;
 *   <li>{@code batching}: sentences per second from 16 concurrent single-sentence callers on
 *       MiniLM, unbatched against {@link DynamicBatcher};
 *   <li>{@code load}: median time to load MiniLM verified (snapshot, OMS check, session) against
 *       ONNX Runtime creating a session from the same file.
 * </ul>
 *
 * <p>Usage: {@code InferenceComparison overhead|batching|load WORK_DIR}.
 */
public final class InferenceComparison {
  private static final SigningKey KEY = Pem.generate(KeyType.ECDSA_P256);
  private static final String[] SENTENCES = {
    "The model was signed on the connected side.",
    "Operators carry bundles across the air gap on removable media.",
    "An auditor asks for proof of what ran.",
    "Drift statistics compare live inputs with the validation data.",
    "Every prediction leaves a record in the tamper-evident log.",
    "Nothing is downloaded at run time behind the gap."
  };

  private static final AtomicLong RUNS = new AtomicLong();
  private static final AtomicLong ROWS = new AtomicLong();

  private InferenceComparison() {}

  /** Runs one comparison. */
  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[1]));
    switch (args[0]) {
      case "overhead" -> overhead(work);
      case "batching" -> batching(work);
      case "load" -> load(work);
      default -> throw new IllegalArgumentException("overhead, batching or load");
    }
  }

  // ---------------------------------------------------------------- models

  /** An MLP, 64 inputs -> 256 -> 256 -> 10, weights seeded, batch dimension symbolic. */
  static Path mlp(Path work) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    int[] widths = {64, 256, 256, 10};
    OnnxModelBuilder graph =
        OnnxModelBuilder.named("mlp")
            .input("x", ElementType.FLOAT, "batch", 64)
            .output("y", ElementType.FLOAT, "batch", 10);
    String previous = "x";
    for (int layer = 0; layer < 3; layer++) {
      float[] weights = new float[widths[layer] * widths[layer + 1]];
      for (int i = 0; i < weights.length; i++) {
        weights[i] = (float) (random.nextGaussian() / Math.sqrt(widths[layer]));
      }
      graph.floats("w" + layer, new long[] {widths[layer], widths[layer + 1]}, weights);
      graph.floats("b" + layer, new long[] {widths[layer + 1]}, new float[widths[layer + 1]]);
      String out = layer == 2 ? "y" : "h" + layer;
      graph.node("MatMul", new String[] {previous, "w" + layer}, "m" + layer);
      if (layer == 2) {
        graph.node("Add", new String[] {"m" + layer, "b" + layer}, out);
      } else {
        graph.node("Add", new String[] {"m" + layer, "b" + layer}, "a" + layer);
        graph.node("Relu", new String[] {"a" + layer}, out);
      }
      previous = out;
    }
    Path dir = Files.createDirectories(work.resolve("mlp"));
    Files.write(dir.resolve("model.onnx"), graph.build());
    return sign(dir);
  }

  /** MiniLM and its tokenizer, copied out of LangChain4j's jar and signed. */
  static Path miniLm(Path work) throws Exception {
    Path dir = Files.createDirectories(work.resolve("minilm"));
    copy("all-minilm-l6-v2-q.onnx", dir.resolve("model.onnx"));
    copy("all-minilm-l6-v2-q-tokenizer.json", dir.resolve("tokenizer.json"));
    return sign(dir);
  }

  private static void copy(String resource, Path target) throws Exception {
    try (InputStream in =
        AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream("/" + resource)) {
      Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Signs with the files method, or with 1 MiB shards when {@code -Dshards=true} (shards are hashed
   * in parallel when verified).
   */
  private static Path sign(Path dir) {
    ModelHasher hasher =
        Boolean.getBoolean("shards")
            ? ModelHasher.builder()
                .method(io.airgap.core.manifest.SerializationMethod.SHARDS)
                .shardSize(1 << 20)
                .build()
            : ModelHasher.builder().build();
    ModelSigner.builder().key(KEY).build().sign(dir, dir.resolve("model.sig"), hasher, List.of());
    return dir;
  }

  static VerifiedModel verifiedModel(Path dir, Path work) {
    return verified(dir, work);
  }

  private static VerifiedModel verified(Path dir, Path work) {
    return VerifiedModel.builder(dir)
        .verifier(ModelVerifier.builder().publicKey(KEY.publicKey()).build())
        .workDirectory(work.resolve("snapshots"))
        .load();
  }

  // ---------------------------------------------------------------- overhead

  private static void overhead(Path work) throws Exception {
    Path mlp = mlp(work);
    float[] row = new float[64];
    Arrays.fill(row, 0.5f);
    Map<String, Tensor> mlpInput = Map.of("x", Tensor.ofFloats(new long[] {1, 64}, row));
    compare("mlp", mlp, work, mlpInput, 30_000, 8, 4_000);

    Path minilm = miniLm(work);
    try (HuggingFaceTokenizer tokenizer =
        HuggingFaceTokenizer.newInstance(
            minilm.resolve("tokenizer.json"), Map.of("padding", "false"))) {
      compare("minilm", minilm, work, encode(tokenizer, SENTENCES[1]), 12_000, 8, 300);
    }
  }

  /**
   * Alternates raw and wrapped runs of the same inputs on one thread, then prints the medians. Two
   * sessions of the same file differ by a percent or two on their own (where ONNX Runtime placed
   * their buffers), so the runs are spread over {@code pairs} freshly created pairs of sessions,
   * created in alternating order; a control measures two raw sessions the same way.
   */
  private static void compare(
      String name,
      Path dir,
      Path work,
      Map<String, Tensor> inputs,
      int warmUp,
      int pairs,
      int iterations)
      throws Exception {
    OrtEnvironment env = NativeRuntime.environment();
    Map<String, RawInput> rawInputs = new LinkedHashMap<>();
    inputs.forEach((k, v) -> rawInputs.put(k, new RawInput(v)));
    long[] rawTimes = new long[pairs * iterations];
    long[] wrappedTimes = new long[pairs * iterations];
    long[] controlA = new long[pairs * iterations];
    long[] controlB = new long[pairs * iterations];
    try (VerifiedModel model = verified(dir, work);
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      String file = model.modelFile().toString();
      // Warm up both paths until the JIT has compiled them (C2 needs about 10,000 calls), on a
      // pair that is not measured.
      try (OrtSession raw = env.createSession(file, options);
          InferenceSession wrapped = open(model)) {
        for (int i = 0; i < warmUp; i++) {
          runRaw(env, raw, rawInputs);
          wrapped.run(inputs);
        }
      }
      for (int pair = 0; pair < pairs; pair++) {
        OrtSession raw = null;
        InferenceSession wrapped = null;
        try {
          if (pair % 2 == 0) {
            raw = env.createSession(file, options);
            wrapped = open(model);
          } else {
            wrapped = open(model);
            raw = env.createSession(file, options);
          }
          for (int i = 0; i < iterations / 5; i++) { // warm-up
            runRaw(env, raw, rawInputs);
            wrapped.run(inputs);
          }
          for (int i = 0; i < iterations; i++) {
            int k = pair * iterations + i;
            if ((i & 1) == 0) {
              rawTimes[k] = timeRaw(env, raw, rawInputs);
              wrappedTimes[k] = timeWrapped(wrapped, inputs);
            } else {
              wrappedTimes[k] = timeWrapped(wrapped, inputs);
              rawTimes[k] = timeRaw(env, raw, rawInputs);
            }
          }
        } finally {
          if (wrapped != null) {
            wrapped.close();
          }
          if (raw != null) {
            raw.close();
          }
        }
        try (OrtSession a = env.createSession(file, options);
            OrtSession b = env.createSession(file, options)) {
          for (int i = 0; i < iterations / 5; i++) {
            runRaw(env, a, rawInputs);
            runRaw(env, b, rawInputs);
          }
          for (int i = 0; i < iterations; i++) {
            int k = pair * iterations + i;
            OrtSession first = (i & 1) == 0 ? a : b;
            long t1 = timeRaw(env, first, rawInputs);
            long t2 = timeRaw(env, first == a ? b : a, rawInputs);
            controlA[k] = first == a ? t1 : t2;
            controlB[k] = first == a ? t2 : t1;
          }
        }
      }
    }
    double rawMedian = median(rawTimes);
    double wrappedMedian = median(wrappedTimes);
    System.out.printf(
        Locale.ROOT,
        "overhead %s batch 1: raw ORT median %.1f us, airgap median %.1f us, ratio %.4f"
            + " (control, raw against raw: %.4f)%n",
        name,
        rawMedian / 1e3,
        wrappedMedian / 1e3,
        wrappedMedian / rawMedian,
        median(controlB) / median(controlA));
  }

  private static InferenceSession open(VerifiedModel model) {
    return InferenceSession.builder(model)
        .options(RuntimeOptions.defaults().withThreads(1, 1))
        .open();
  }

  /** The same values as a tensor, held the way raw ORT callers hold them (a direct buffer). */
  private record RawInput(Tensor tensor) {}

  private static long timeRaw(OrtEnvironment env, OrtSession raw, Map<String, RawInput> inputs)
      throws OrtException {
    long start = System.nanoTime();
    runRaw(env, raw, inputs);
    return System.nanoTime() - start;
  }

  private static long timeWrapped(InferenceSession session, Map<String, Tensor> inputs) {
    long start = System.nanoTime();
    session.run(inputs);
    return System.nanoTime() - start;
  }

  /**
   * What a careful raw ORT caller writes: tensors over direct buffers, outputs copied, all closed.
   */
  private static float[] runRaw(
      OrtEnvironment env, OrtSession session, Map<String, RawInput> inputs) throws OrtException {
    Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    try {
      for (Map.Entry<String, RawInput> entry : inputs.entrySet()) {
        Tensor t = entry.getValue().tensor();
        ByteBuffer buffer = t.buffer().duplicate().order(ByteOrder.nativeOrder());
        OnnxTensor tensor =
            switch (t.type()) {
              case FLOAT -> OnnxTensor.createTensor(env, buffer.asFloatBuffer(), t.shape());
              case INT64 -> OnnxTensor.createTensor(env, buffer.asLongBuffer(), t.shape());
              default -> throw new IllegalArgumentException(t.toString());
            };
        tensors.put(entry.getKey(), tensor);
      }
      try (OrtSession.Result result = session.run(tensors)) {
        OnnxValue first = result.get(0);
        FloatBuffer out = ((OnnxTensor) first).getFloatBuffer();
        float[] copy = new float[out.remaining()];
        out.get(copy);
        return copy;
      }
    } finally {
      tensors.values().forEach(OnnxTensor::close);
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  // ---------------------------------------------------------------- batching

  private static Map<String, Tensor> encode(HuggingFaceTokenizer tokenizer, String sentence) {
    Encoding encoding = tokenizer.encode(sentence);
    long[] shape = {1, encoding.getIds().length};
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put("input_ids", Tensor.ofLongs(shape, encoding.getIds()));
    inputs.put("attention_mask", Tensor.ofLongs(shape, encoding.getAttentionMask()));
    inputs.put("token_type_ids", Tensor.ofLongs(shape, encoding.getTypeIds()));
    return inputs;
  }

  /**
   * Unbatched against batched callers, per thread setting of the session: ONNX Runtime's default
   * (every core inside each run) and one intra-op thread (parallelism from concurrent runs). The
   * batched side runs one batch of up to 16 at a time, or two batches of up to 8 at once.
   */
  private static void batching(Path work) throws Exception {
    Path dir = miniLm(work);
    try (VerifiedModel model = verified(dir, work);
        HuggingFaceTokenizer tokenizer =
            HuggingFaceTokenizer.newInstance(
                dir.resolve("tokenizer.json"), Map.of("padding", "false"))) {
      List<Map<String, Tensor>> requests = new ArrayList<>();
      for (String sentence : SENTENCES) {
        requests.add(encode(tokenizer, sentence));
      }
      double best = 0;
      double bestBatched = 0;
      for (int intraOp : new int[] {0, 1}) {
        try (InferenceSession session =
            InferenceSession.builder(model)
                .options(RuntimeOptions.defaults().withThreads(intraOp, 1))
                .listener(
                    e -> {
                      RUNS.incrementAndGet();
                      ROWS.addAndGet(e.batchSize());
                    })
                .open()) {
          String threads = intraOp == 0 ? "default intra-op threads" : "1 intra-op thread";
          System.out.println("session with " + threads + ":");
          double[] rates = batchingRounds(session, requests);
          efficiency(session, requests);
          System.out.printf(
              Locale.ROOT,
              "batching minilm 16 callers, %s: unbatched %.0f, one batch of 16 %.0f (%.2fx),"
                  + " two batches of 8 %.0f (%.2fx) sentences/s%n",
              threads,
              rates[0],
              rates[1],
              rates[1] / rates[0],
              rates[2],
              rates[2] / rates[0]);
          best = Math.max(best, rates[0]);
          bestBatched = Math.max(bestBatched, Math.max(rates[1], rates[2]));
        }
      }
      System.out.printf(
          Locale.ROOT,
          "batching minilm 16 callers: best batched %.0f against best unbatched %.0f"
              + " sentences/s, ratio %.2f%n",
          bestBatched,
          best,
          bestBatched / best);
    }
  }

  /** Unbatched, one batch of 16, two batches of 8: the mean of two alternating rounds each. */
  private static double[] batchingRounds(
      InferenceSession session, List<Map<String, Tensor>> requests) throws Exception {
    Duration span = Duration.ofSeconds(8);
    throughput("warm-up", span.dividedBy(4), requests, session::run);
    double[] rates = new double[3];
    for (int round = 0; round < 2; round++) {
      rates[0] += throughput("unbatched", span, requests, session::run) / 2;
      try (DynamicBatcher batcher =
          DynamicBatcher.create(session, 16, Duration.ofMillis(2), Map.of())) {
        rates[1] += throughput("one batch of 16", span, requests, batcher::run) / 2;
      }
      try (DynamicBatcher batcher =
          DynamicBatcher.create(session, 8, Duration.ofMillis(2), Map.of(), 2)) {
        rates[2] += throughput("two batches of 8", span, requests, batcher::run) / 2;
      }
    }
    return rates;
  }

  /**
   * One thread: sentences per second at batch 1 against batch 16 (the six sentences repeated,
   * padded), which bounds what batching can gain on this machine.
   */
  private static void efficiency(InferenceSession session, List<Map<String, Tensor>> requests) {
    List<Map<String, Tensor>> sixteen = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      sixteen.add(requests.get(i % requests.size()));
    }
    Map<String, Tensor> batch = new LinkedHashMap<>();
    for (String name : requests.get(0).keySet()) {
      List<Tensor> parts = new ArrayList<>();
      sixteen.forEach(r -> parts.add(r.get(name)));
      batch.put(name, Tensor.stack(parts, 0L));
    }
    int rounds = 40;
    long start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      for (Map<String, Tensor> single : sixteen) {
        session.run(single);
      }
    }
    double singles = rounds * 16 / ((System.nanoTime() - start) / 1e9);
    start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      session.run(batch);
    }
    double batched = rounds * 16 / ((System.nanoTime() - start) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "  one thread: batch 1 %.0f sentences/s, batch 16 %.0f sentences/s, ratio %.2f%n",
        singles,
        batched,
        batched / singles);
  }

  /** Sentences per second from 16 threads calling {@code call} for {@code span}. */
  private static double throughput(
      String label,
      Duration span,
      List<Map<String, Tensor>> requests,
      java.util.function.Function<Map<String, Tensor>, Map<String, Tensor>> call)
      throws Exception {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      int thread = t;
      futures.add(
          pool.submit(
              () -> {
                int i = thread;
                while (!stop.get()) {
                  call.apply(requests.get(i++ % requests.size()));
                  done.incrementAndGet();
                }
              }));
    }
    RUNS.set(0);
    ROWS.set(0);
    long start = System.nanoTime();
    Thread.sleep(span.toMillis());
    stop.set(true);
    for (Future<?> future : futures) {
      future.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    double rate = done.get() / seconds;
    System.out.printf(
        Locale.ROOT,
        "  %s: %.0f sentences/s, %.1f sentences per run%n",
        label,
        rate,
        ROWS.get() / (double) Math.max(1, RUNS.get()));
    return rate;
  }

  // ---------------------------------------------------------------- load

  private static void load(Path work) throws Exception {
    Path dir = miniLm(work);
    OrtEnvironment env = NativeRuntime.environment();
    int rounds = 15;
    long[] raw = new long[rounds];
    long[] verified = new long[rounds];
    for (int i = -2; i < rounds; i++) { // two warm-up rounds
      long start = System.nanoTime();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
          OrtSession session = env.createSession(dir.resolve("model.onnx").toString(), options)) {
        session.getInputInfo();
      }
      long rawTime = System.nanoTime() - start;
      start = System.nanoTime();
      try (VerifiedModel model = verified(dir, work);
          InferenceSession session = InferenceSession.builder(model).open()) {
        session.inputs();
      }
      long verifiedTime = System.nanoTime() - start;
      if (i >= 0) {
        raw[i] = rawTime;
        verified[i] = verifiedTime;
      }
    }
    double r = median(raw);
    double v = median(verified);
    System.out.printf(
        Locale.ROOT,
        "load minilm: ORT session from file median %.1f ms, verified (snapshot + OMS check + session) median %.1f ms, ratio %.3f%n",
        r / 1e6,
        v / 1e6,
        v / r);
  }
}
