package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Golden inputs and outputs shipped with a model run at load; a mismatch refuses the model. */
class SelfTestTest {
  @TempDir Path temp;

  private Path modelWithGoldens(float[] goldenY) throws Exception {
    Path dir = temp.resolve("m");
    Files.createDirectories(dir.resolve("selftest/inputs"));
    Files.createDirectories(dir.resolve("selftest/outputs"));
    float[] x = {1, 2, 3, 4};
    Npy.write(dir.resolve("selftest/inputs/x.npy"), Tensor.ofFloats(new long[] {1, 4}, x));
    Npy.write(dir.resolve("selftest/outputs/y.npy"), Tensor.ofFloats(new long[] {1, 3}, goldenY));
    return SignedModels.signed(dir, OnnxModels.mlp());
  }

  @Test
  void matchingGoldensPassAndAreAudited() throws Exception {
    List<AuditEvent> events = new ArrayList<>();
    Path dir = modelWithGoldens(OnnxModels.mlpExpected(new float[] {1, 2, 3, 4}));
    VerifiedModel model =
        VerifiedModel.builder(dir)
            .verifier(SignedModels.verifier())
            .workDirectory(temp.resolve("w"))
            .auditSink(
                e -> {
                  events.add(e);
                  return new AuditReceipt(events.size() - 1, new byte[32]);
                },
                "t")
            .load();
    List<Long> observed = new ArrayList<>();

    try (InferenceSession session =
        InferenceSession.builder(model).listener(e -> observed.add(e.batchSize())).open()) {
      assertThat(events.get(0).attributes()).containsEntry("selfTest", "passed (1 outputs)");
      assertThat(observed).isEmpty(); // golden inputs are not live data
    }
  }

  @Test
  void aMismatchRefusesTheModel() throws Exception {
    float[] golden = OnnxModels.mlpExpected(new float[] {1, 2, 3, 4});
    golden[2] += 0.01f;
    List<AuditEvent> events = new ArrayList<>();
    VerifiedModel model =
        VerifiedModel.builder(modelWithGoldens(golden))
            .verifier(SignedModels.verifier())
            .workDirectory(temp.resolve("w"))
            .auditSink(
                e -> {
                  events.add(e);
                  return new AuditReceipt(events.size() - 1, new byte[32]);
                },
                "t")
            .load();

    assertThatThrownBy(() -> InferenceSession.builder(model).open())
        .isInstanceOf(SelfTestFailedException.class)
        .hasMessage(
            "model m failed its self-test: output y element 2 is "
                + (double) OnnxModels.mlpExpected(new float[] {1, 2, 3, 4})[2]
                + ", the golden value "
                + (double) golden[2]
                + " (tolerance 1.0E-4 + 1.0E-4 x |golden|)");
    assertThat(events)
        .extracting(AuditEvent::action, AuditEvent::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("model.selftest", "failed"),
            org.assertj.core.groups.Tuple.tuple("model.load", "refused"));
    // A looser tolerance accepts the same model.
    InferenceSession.builder(model).selfTest(new SelfTest(0.1, 0)).open().close();
  }

  @Test
  void goldensOutsideTheSignatureAreRefusedLikeAnyOtherFile() throws Exception {
    Path dir = modelWithGoldens(OnnxModels.mlpExpected(new float[] {1, 2, 3, 4}));
    Npy.write(dir.resolve("selftest/outputs/y.npy"), Tensor.ofFloats(new long[] {1, 3}, 0, 0, 0));

    assertThatThrownBy(() -> SignedModels.load(dir, temp.resolve("w")))
        .isInstanceOf(io.airgap.core.signing.ManifestMismatchException.class);
  }

  @Test
  void infinitiesMustMatchExactly() {
    SelfTest test = new SelfTest(1e-4, 1e-4);
    float inf = Float.POSITIVE_INFINITY;
    Tensor golden = Tensor.ofFloats(new long[] {3}, -inf, 1, inf);

    test.compare("m", "logits", golden, Tensor.ofFloats(new long[] {3}, -inf, 1.00005f, inf));
    assertThatThrownBy(
            () ->
                test.compare(
                    "m", "logits", golden, Tensor.ofFloats(new long[] {3}, -inf, 1, 3.4e38f)))
        .isInstanceOf(SelfTestFailedException.class)
        .hasMessageEndingWith(
            "output logits element 2 is 3.3999999521443642E38, the golden value Infinity"
                + " (tolerance 1.0E-4 + 1.0E-4 x |golden|)");
  }

  @Test
  void anAuditLogThatFailsDoesNotHideWhyTheModelWasRefused() throws Exception {
    float[] golden = OnnxModels.mlpExpected(new float[] {1, 2, 3, 4});
    golden[0] += 1;
    VerifiedModel model =
        VerifiedModel.builder(modelWithGoldens(golden))
            .verifier(SignedModels.verifier())
            .workDirectory(temp.resolve("w"))
            .auditSink(
                e -> {
                  throw new io.airgap.core.AirgapException("audit log disk full");
                },
                "t")
            .load();

    assertThatThrownBy(() -> InferenceSession.builder(model).open())
        .isInstanceOf(SelfTestFailedException.class)
        .hasMessageStartingWith("model m failed its self-test: output y element 0 is ")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("audit log disk full", "audit log disk full"));
  }
}
