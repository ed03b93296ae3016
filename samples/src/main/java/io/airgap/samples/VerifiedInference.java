package io.airgap.samples;

import io.airgap.core.signing.KeyType;
import io.airgap.core.signing.ModelVerifier;
import io.airgap.core.signing.Pem;
import io.airgap.core.signing.SigningKey;
import io.airgap.inference.DevicePolicy;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.Tensor;
import io.airgap.inference.VerifiedModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Load a signed model so that ONNX Runtime only ever sees verified bytes, ask for a GPU and accept
 * the CPU when there is none (saying why), and classify a batch of flowers.
 */
public final class VerifiedInference {
  private VerifiedInference() {}

  /**
   * What the sample saw.
   *
   * @param provider the execution provider that runs the model
   * @param fallbackReason why the GPU was not used, or null
   * @param rows flowers classified
   * @param correct how many got their species right
   */
  public record Outcome(String provider, String fallbackReason, int rows, int correct) {}

  /** Runs in a fresh temporary workspace. */
  public static void main(String[] args) {
    run(Workspace.fresh("inference"), System.out);
  }

  /** Runs in {@code work}, telling {@code out} what happens. */
  public static Outcome run(Path work, PrintStream out) {
    SigningKey key = Pem.generate(KeyType.ECDSA_P256);
    Path dir = work.resolve("iris");
    SampleModel.writeSigned(dir, key);

    try (VerifiedModel model =
            VerifiedModel.builder(dir)
                .verifier(ModelVerifier.builder().publicKey(key.publicKey()).build())
                .workDirectory(work.resolve("snapshots"))
                .load();
        InferenceSession session =
            InferenceSession.builder(model).device(DevicePolicy.preferGpu()).open()) {
      out.println("loaded " + model.name() + " " + model.digest() + " on " + session.provider());
      session.fallbackReason().ifPresent(reason -> out.println("no GPU: " + reason));

      List<Iris.Flower> flowers = Iris.reference();
      Map<String, Tensor> outputs = session.run(SampleModel.input(flowers));
      int correct = correct(flowers, outputs.get(SampleModel.OUTPUT).floats());
      out.println("classified " + flowers.size() + " flowers, " + correct + " correctly");
      return new Outcome(
          session.provider(), session.fallbackReason().orElse(null), flowers.size(), correct);
    }
  }

  /** How many rows' most probable class is their species. */
  static int correct(List<Iris.Flower> flowers, float[] probabilities) {
    int correct = 0;
    for (int r = 0; r < flowers.size(); r++) {
      int best = 0;
      for (int k = 1; k < 3; k++) {
        if (probabilities[r * 3 + k] > probabilities[r * 3 + best]) {
          best = k;
        }
      }
      if (Iris.SPECIES.get(best).equals(flowers.get(r).species())) {
        correct++;
      }
    }
    return correct;
  }
}
