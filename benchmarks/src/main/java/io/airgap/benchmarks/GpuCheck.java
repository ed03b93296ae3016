package io.airgap.benchmarks;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.airgap.inference.DevicePolicy;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.RuntimeDiagnostics;
import io.airgap.inference.Tensor;
import io.airgap.inference.VerifiedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GPU check ({@code benchmarks/gpu-check.sh}): on a host with a GPU and the build made with
 * {@code -Pgpu}, load MiniLM verified under {@link DevicePolicy#requireGpu()} (so no node may fall
 * back to the CPU) or, when ONNX Runtime keeps some nodes on the CPU (the CUDA provider leaves
 * shape computations there) and requireGpu refuses it, under {@link DevicePolicy#preferGpu()},
 * printing which; confirm CUDA runs it, compare its outputs with the CPU's within 1e-3, and time
 * batch 1, 32 and 128 on both. Exits 1 when CUDA does not run the model or the outputs differ.
 *
 * <p>Usage: {@code GpuCheck WORK_DIR}.
 */
public final class GpuCheck {
  private GpuCheck() {}

  /** Runs the check and prints one line per finding. */
  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Path.of(args[0]));
    RuntimeDiagnostics.run()
        .forEach(c -> System.out.println((c.ok() ? "ok " : "-- ") + c.name() + ": " + c.detail()));
    Path dir = InferenceComparison.miniLm(work);
    boolean ok = true;
    try {
      ok = check(dir, work);
    } catch (io.airgap.inference.InferenceException e) {
      System.out.println("GPU check FAILED: " + e.getMessage());
      System.exit(1);
    }
    System.out.println(ok ? "GPU check passed" : "GPU check FAILED");
    System.exit(ok ? 0 : 1);
  }

  /** Every node on CUDA if ONNX Runtime allows it, else CUDA with some nodes on the CPU. */
  private static InferenceSession onGpu(VerifiedModel model) {
    try {
      InferenceSession session =
          InferenceSession.builder(model).device(DevicePolicy.requireGpu()).open();
      System.out.println("requireGpu: every node runs on CUDA");
      return session;
    } catch (io.airgap.inference.DeviceUnavailableException e) {
      System.out.println("requireGpu refused: " + e.getMessage());
      InferenceSession session =
          InferenceSession.builder(model).device(DevicePolicy.preferGpu()).open();
      System.out.println(
          "preferGpu: "
              + session.provider()
              + session.fallbackReason().map(r -> " (" + r + ")").orElse(""));
      return session;
    }
  }

  private static boolean check(Path dir, Path work) throws Exception {
    boolean ok = true;
    try (VerifiedModel model = InferenceComparison.verifiedModel(dir, work);
        InferenceSession gpu = onGpu(model);
        InferenceSession cpu = InferenceSession.builder(model).device(DevicePolicy.cpu()).open();
        HuggingFaceTokenizer tokenizer =
            HuggingFaceTokenizer.newInstance(
                dir.resolve("tokenizer.json"), Map.of("padding", "false"))) {
      System.out.println("provider: " + gpu.provider());
      ok &= InferenceSession.CUDA_PROVIDER.equals(gpu.provider());
      for (int batch : new int[] {1, 32, 128}) {
        Map<String, Tensor> inputs = batchOf(tokenizer, batch);
        float[] onGpu = gpu.run(inputs).get("last_hidden_state").floats();
        float[] onCpu = cpu.run(inputs).get("last_hidden_state").floats();
        double maxDiff = 0;
        for (int i = 0; i < onGpu.length; i++) {
          maxDiff = Math.max(maxDiff, Math.abs(onGpu[i] - onCpu[i]));
        }
        ok &= maxDiff <= 1e-3;
        System.out.printf(
            Locale.ROOT,
            "batch %d: max |gpu - cpu| %.2e, median gpu %.2f ms, median cpu %.2f ms%n",
            batch,
            maxDiff,
            medianMillis(gpu, inputs),
            medianMillis(cpu, inputs));
      }
    }
    return ok;
  }

  private static Map<String, Tensor> batchOf(HuggingFaceTokenizer tokenizer, int batch) {
    String[] sentences = {
      "The model was signed on the connected side.",
      "Operators carry bundles across the air gap on removable media.",
      "An auditor asks for proof of what ran."
    };
    Map<String, List<Tensor>> parts = new LinkedHashMap<>();
    for (int i = 0; i < batch; i++) {
      Encoding e = tokenizer.encode(sentences[i % sentences.length]);
      long[] shape = {1, e.getIds().length};
      parts
          .computeIfAbsent("input_ids", k -> new ArrayList<>())
          .add(Tensor.ofLongs(shape, e.getIds()));
      parts
          .computeIfAbsent("attention_mask", k -> new ArrayList<>())
          .add(Tensor.ofLongs(shape, e.getAttentionMask()));
      parts
          .computeIfAbsent("token_type_ids", k -> new ArrayList<>())
          .add(Tensor.ofLongs(shape, e.getTypeIds()));
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    parts.forEach((name, list) -> inputs.put(name, Tensor.stack(list, 0L)));
    return inputs;
  }

  private static double medianMillis(InferenceSession session, Map<String, Tensor> inputs) {
    for (int i = 0; i < 10; i++) {
      session.run(inputs);
    }
    long[] times = new long[50];
    for (int i = 0; i < times.length; i++) {
      long start = System.nanoTime();
      session.run(inputs);
      times[i] = System.nanoTime() - start;
    }
    Arrays.sort(times);
    return times[times.length / 2] / 1e6;
  }
}
