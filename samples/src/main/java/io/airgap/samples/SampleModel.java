package io.airgap.samples;

import io.airgap.core.digest.Digest;
import io.airgap.core.manifest.ModelHasher;
import io.airgap.core.signing.ModelSigner;
import io.airgap.core.signing.SignatureBundle;
import io.airgap.core.signing.SigningKey;
import io.airgap.inference.ElementType;
import io.airgap.inference.Tensor;
import io.airgap.testing.OnnxModelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The samples' model: a softmax regression that tells the three Iris species apart from their four
 * measurements, trained here on the bundled rows and written as ONNX ({@code x [batch, 4]} floats
 * to {@code probabilities [batch, 3]}), with a {@code config.json} naming inputs and classes.
 *
 * <p>A real deployment receives its {@code model.onnx} from a training pipeline; the samples write
 * theirs so the repository carries no binary model. Training is deterministic (fixed steps, no
 * randomness), so every run writes the same bytes and the same signature digest.
 */
public final class SampleModel {
  /** Name of the input tensor. */
  public static final String INPUT = "x";

  /** Name of the output tensor. */
  public static final String OUTPUT = "probabilities";

  private static final int STEPS = 3000;
  private static final double LEARNING_RATE = 0.05;

  private SampleModel() {}

  /** Writes {@code model.onnx} and {@code config.json} into {@code dir} (created if absent). */
  public static Path write(Path dir) {
    double[][] weights = new double[4][3];
    double[] bias = new double[3];
    train(Iris.reference(), weights, bias);
    float[] w = new float[12];
    for (int i = 0; i < 4; i++) {
      for (int k = 0; k < 3; k++) {
        w[i * 3 + k] = (float) weights[i][k];
      }
    }
    float[] b = {(float) bias[0], (float) bias[1], (float) bias[2]};
    byte[] onnx =
        OnnxModelBuilder.named("iris-species")
            .input(INPUT, ElementType.FLOAT, "batch", 4)
            .output(OUTPUT, ElementType.FLOAT, "batch", 3)
            .floats("w", new long[] {4, 3}, w)
            .floats("b", new long[] {3}, b)
            .node("MatMul", new String[] {INPUT, "w"}, "logits0")
            .node("Add", new String[] {"logits0", "b"}, "logits")
            .node("Softmax", new String[] {"logits"}, OUTPUT)
            .metadata("classes", String.join(",", Iris.SPECIES))
            .build();
    try {
      Files.createDirectories(dir);
      Files.write(dir.resolve("model.onnx"), onnx);
      Files.writeString(
          dir.resolve("config.json"),
          "{\"inputs\": "
              + json(Iris.FEATURES)
              + ", \"classes\": "
              + json(Iris.SPECIES)
              + ", \"units\": \"cm\"}\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the sample model into " + dir, e);
    }
    return dir;
  }

  /**
   * Writes the model into {@code dir} and signs it there ({@code model.sig}, OMS v1.0) with {@code
   * key}.
   *
   * @return the signed root digest, {@code sha256:HEX}
   */
  public static String writeSigned(Path dir, SigningKey key) {
    write(dir);
    SignatureBundle signature =
        ModelSigner.builder()
            .key(key)
            .build()
            .sign(dir, dir.resolve("model.sig"), ModelHasher.builder().build(), List.of());
    Digest root = signature.manifest().rootDigest();
    return root.algorithm().omsName() + ":" + root.hex();
  }

  /** The model's input for a batch of flowers: {@code x} as {@code [rows, 4]} floats. */
  public static Map<String, Tensor> input(List<Iris.Flower> flowers) {
    return Map.of(INPUT, Tensor.ofFloats(new long[] {flowers.size(), 4}, Iris.batch(flowers)));
  }

  /** Full-batch gradient descent on the cross-entropy; measurements are used as they are. */
  private static void train(List<Iris.Flower> flowers, double[][] weights, double[] bias) {
    for (int step = 0; step < STEPS; step++) {
      double[][] gradW = new double[4][3];
      double[] gradB = new double[3];
      for (Iris.Flower flower : flowers) {
        double[] p = softmax(flower.measurements(), weights, bias);
        int label = Iris.SPECIES.indexOf(flower.species());
        for (int k = 0; k < 3; k++) {
          double error = p[k] - (k == label ? 1 : 0);
          gradB[k] += error;
          for (int i = 0; i < 4; i++) {
            gradW[i][k] += error * flower.measurements()[i];
          }
        }
      }
      for (int k = 0; k < 3; k++) {
        bias[k] -= LEARNING_RATE * gradB[k] / flowers.size();
        for (int i = 0; i < 4; i++) {
          weights[i][k] -= LEARNING_RATE * gradW[i][k] / flowers.size();
        }
      }
    }
  }

  /** Class probabilities of one row, computed in Java (the tests compare ONNX Runtime with it). */
  static double[] softmax(float[] x, double[][] weights, double[] bias) {
    double[] logits = new double[3];
    double max = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < 3; k++) {
      logits[k] = bias[k];
      for (int i = 0; i < 4; i++) {
        logits[k] += x[i] * weights[i][k];
      }
      max = Math.max(max, logits[k]);
    }
    double sum = 0;
    for (int k = 0; k < 3; k++) {
      logits[k] = StrictMath.exp(logits[k] - max); // StrictMath: the same bytes on every JVM
      sum += logits[k];
    }
    for (int k = 0; k < 3; k++) {
      logits[k] /= sum;
    }
    return logits;
  }

  private static String json(List<String> names) {
    return "[\"" + String.join("\", \"", names) + "\"]";
  }
}
