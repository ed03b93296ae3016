package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import io.airgap.core.audit.AuditSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verified sessions on the CPU: runs, declared inputs and outputs, checks before native code. */
class InferenceSessionTest {
  @TempDir Path temp;

  private InferenceSession open(byte[] onnx) {
    VerifiedModel model =
        SignedModels.load(SignedModels.signed(temp.resolve("m"), onnx), temp.resolve("work"));
    return InferenceSession.builder(model).open();
  }

  @Test
  void mlpRunsOnTheCpuAndMatchesTheJavaComputation() {
    float[] rows = {1, 2, 3, 4, -1, 0.5f, 2, 0, 0, 0, 0, 0};
    try (InferenceSession session = open(OnnxModels.mlp())) {
      Map<String, Tensor> out = session.run(Map.of("x", Tensor.ofFloats(new long[] {3, 4}, rows)));

      assertThat(session.provider()).isEqualTo(InferenceSession.CPU_PROVIDER);
      assertThat(session.fallbackReason()).isEmpty();
      Tensor y = out.get("y");
      assertThat(y.type()).isEqualTo(ElementType.FLOAT);
      assertThat(y.shape()).containsExactly(3, 3);
      float[] values = y.floats();
      for (int r = 0; r < 3; r++) {
        float[] row = {rows[4 * r], rows[4 * r + 1], rows[4 * r + 2], rows[4 * r + 3]};
        float[] expected = OnnxModels.mlpExpected(row);
        for (int k = 0; k < 3; k++) {
          assertThat(values[3 * r + k]).isCloseTo(expected[k], within(1e-5f));
        }
      }
    }
  }

  @Test
  void declaredInputsOutputsAndMetadataAreReported() {
    try (InferenceSession session = open(OnnxModels.mlp())) {
      assertThat(session.inputs()).hasSize(1);
      TensorSpec x = session.inputs().get(0);
      assertThat(x.toString()).isEqualTo("x: float [batch, 4]");
      assertThat(x.hasDynamicBatch()).isTrue();
      assertThat(session.outputs().get(0).toString()).isEqualTo("y: float [batch, 3]");
      assertThat(session.metadata())
          .containsEntry("producer", "airgap-tests")
          .containsEntry("graph", "mlp")
          .containsEntry("custom.task", "test-mlp");
    }
  }

  @Test
  void twoInputsTwoOutputs() {
    try (InferenceSession session = open(OnnxModels.twoInTwoOut())) {
      Map<String, Tensor> out =
          session.run(
              Map.of(
                  "a", Tensor.ofFloats(new long[] {1, 2}, 1.5f, -2),
                  "b", Tensor.ofFloats(new long[] {1, 2}, 2, 4)));

      assertThat(out.keySet()).containsExactly("sum", "product");
      assertThat(out.get("sum").floats()).containsExactly(3.5f, 2);
      assertThat(out.get("product").floats()).containsExactly(3, -8);
    }
  }

  @Test
  void int64AndBoolInputs() {
    try (InferenceSession session = open(OnnxModels.int64AndBool())) {
      Map<String, Tensor> out =
          session.run(
              Map.of(
                  "ids", Tensor.ofLongs(new long[] {4}, 10, Long.MAX_VALUE, -3, 7),
                  "mask", Tensor.ofBooleans(new long[] {4}, true, true, false, false)));

      assertThat(out.get("kept").longs()).containsExactly(10, Long.MAX_VALUE, 0, 0);
      assertThat(out.get("dropped").booleans()).containsExactly(false, false, true, true);
    }
  }

  @Test
  void everyElementTypeRoundTrips() {
    long[] shape = {3};
    try (InferenceSession session = open(OnnxModels.identities())) {
      Map<String, Tensor> out =
          session.run(
              Map.of(
                  "in_float", Tensor.ofFloats(shape, 1.5f, Float.NaN, -0f),
                  "in_double", Tensor.ofDoubles(shape, Math.PI, -1e300, 0),
                  "in_int8", Tensor.ofInt8(shape, (byte) -128, (byte) 0, (byte) 127),
                  "in_uint8", Tensor.ofUint8(shape, (byte) 255, (byte) 0, (byte) 1),
                  "in_int32", Tensor.ofInts(shape, Integer.MIN_VALUE, 0, Integer.MAX_VALUE),
                  "in_int64", Tensor.ofLongs(shape, Long.MIN_VALUE, 0, Long.MAX_VALUE),
                  "in_bool", Tensor.ofBooleans(shape, true, false, true),
                  "in_string", Tensor.ofStrings(shape, "a", "", "\u00e9t\u00e9 \ud83d\ude80"),
                  "in_f16", Tensor.ofFloat16(shape, 1.5f, -65504f, 0.333f)));

      assertThat(out.get("out_float").floats()).containsExactly(1.5f, Float.NaN, -0f);
      assertThat(out.get("out_double").doubles()).containsExactly(Math.PI, -1e300, 0);
      assertThat(out.get("out_int8").bytes()).containsExactly(-128, 0, 127);
      assertThat(out.get("out_uint8").bytes()).containsExactly(-1, 0, 1);
      assertThat(out.get("out_int32").ints())
          .containsExactly(Integer.MIN_VALUE, 0, Integer.MAX_VALUE);
      assertThat(out.get("out_int64").longs()).containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);
      assertThat(out.get("out_bool").booleans()).containsExactly(true, false, true);
      assertThat(out.get("out_string").strings())
          .containsExactly("a", "", "\u00e9t\u00e9 \ud83d\ude80");
      // 0.333 is not a half: the nearest one is 0.33300781 (bits 0x3554).
      assertThat(out.get("out_f16").float16AsFloats()).containsExactly(1.5f, -65504f, 0.33300781f);
      assertThat(out.get("out_f16").float16Bits()[2]).isEqualTo((short) 0x3554);
    }
  }

  @Test
  void inputMistakesAreListedBeforeNativeCode() {
    try (InferenceSession session = open(OnnxModels.twoInTwoOut())) {
      assertThatThrownBy(
              () ->
                  session.run(
                      Map.of(
                          "a", Tensor.ofDoubles(new long[] {1, 2}, 1, 2),
                          "c", Tensor.ofFloats(new long[] {1}, 1))))
          .isInstanceOf(InputMismatchException.class)
          .satisfies(
              e ->
                  assertThat(((InputMismatchException) e).problems())
                      .containsExactly(
                          "input a expects float [batch, 2], got double [1, 2]",
                          "missing input b: float [batch, 2]",
                          "unknown input c (the model takes [a, b])"));
      assertThatThrownBy(
              () ->
                  session.run(
                      Map.of(
                          "a", Tensor.ofFloats(new long[] {2}, 1, 2),
                          "b", Tensor.ofFloats(new long[] {1, 3}, 1, 2, 3))))
          .isInstanceOf(InputMismatchException.class)
          .hasMessage(
              "inputs do not match model m: input a expects rank 2 float [batch, 2], got rank 1"
                  + " float [2]; input b dimension 1 must be 2 (float [batch, 2]), got float [1, 3]");
      assertThatThrownBy(
              () ->
                  session.run(
                      Map.of(
                          "a", Tensor.ofFloats(new long[] {0, 2}),
                          "b", Tensor.ofFloats(new long[] {0, 2}))))
          .isInstanceOf(InputMismatchException.class)
          .hasMessageContaining("input a dimension 0 (batch) is 0: an empty batch");
    }
  }

  @Test
  void unsignedIntegerTypesAreNotTakenForSignedOnes() {
    final int uint32 = 12; // ONNX TensorProto.DataType.UINT32
    byte[] bytes =
        new io.airgap.inference.internal.OnnxGraph("u")
            .input("x", uint32, "n")
            .output("y", uint32, "n")
            .node("Identity", new String[] {"x"}, "y")
            .toBytes();
    try (InferenceSession session = open(bytes)) {
      assertThat(session.inputs().get(0).type()).isNull();
      assertThat(session.inputs().get(0).toString()).isEqualTo("x: uint32 [n]");
      assertThatThrownBy(() -> session.run(Map.of("x", Tensor.ofInts(new long[] {1}, -1))))
          .isInstanceOf(InputMismatchException.class)
          .hasMessage("inputs do not match model m: input x has unsupported type uint32");
    }
  }

  @Test
  void inputsSharingADimensionNameMustAgreeOnItsSize() {
    // a [1, 2] + b [2, 2] would broadcast into two rows instead of failing.
    try (InferenceSession session = open(OnnxModels.twoInTwoOut())) {
      assertThatThrownBy(
              () ->
                  session.run(
                      Map.of(
                          "a", Tensor.ofFloats(new long[] {1, 2}, 1, 2),
                          "b", Tensor.ofFloats(new long[] {2, 2}, 1, 2, 3, 4))))
          .isInstanceOf(InputMismatchException.class)
          .hasMessage(
              "inputs do not match model m: input b dimension 0 (batch) is 2, but input a has"
                  + " batch 1");
    }
  }

  @Test
  void onlyTheBatchDimensionMayNotBeEmpty() {
    // A decoder's past sequence length is 0 at its first step.
    TensorSpec past =
        new TensorSpec(
            "past",
            ElementType.FLOAT,
            "float",
            new long[] {-1, 2, -1, 4},
            new String[] {"batch", "", "past_sequence", ""});

    assertThat(past.fits(Tensor.ofFloats(new long[] {1, 2, 0, 4}))).isTrue();
    assertThat(past.mismatches(Tensor.ofFloats(new long[] {1, 2, 0, 4}))).isEmpty();
    assertThat(past.fits(Tensor.ofFloats(new long[] {0, 2, 3, 4}))).isFalse();
    assertThat(past.mismatches(Tensor.ofFloats(new long[] {0, 2, 3, 4})))
        .containsExactly("input past dimension 0 (batch) is 0: an empty batch");
  }

  @Test
  void gpuPoliciesOnACpuBuild() {
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    assertThatThrownBy(
            () -> InferenceSession.builder(model).device(DevicePolicy.requireGpu()).open())
        .isInstanceOf(DeviceUnavailableException.class)
        .hasMessageStartingWith("model m requires a GPU, but CUDA did not start on device 0: ");
    try (InferenceSession session =
        InferenceSession.builder(model).device(DevicePolicy.preferGpu()).open()) {
      assertThat(session.provider()).isEqualTo(InferenceSession.CPU_PROVIDER);
      assertThat(session.fallbackReason()).isPresent();
    }
  }

  @Test
  void theOptimisedModelFileMayNotLieInsideTheVerifiedModel() throws Exception {
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    for (Path inside :
        List.of(temp.resolve("m/model.opt.onnx"), model.modelFile().resolveSibling("opt.onnx"))) {
      assertThatThrownBy(
              () ->
                  InferenceSession.builder(model)
                      .options(RuntimeOptions.defaults().withOptimizedModelCache(inside))
                      .open())
          .isInstanceOf(InferenceException.class)
          .hasMessage(
              "the optimised-model file "
                  + inside
                  + " lies inside model m (its directory or snapshot), where ONNX Runtime would"
                  + " write unverified bytes; name a file elsewhere");
    }
    Path outside = temp.resolve("cache/m.opt.onnx");
    java.nio.file.Files.createDirectories(outside.getParent());
    try (InferenceSession session =
        InferenceSession.builder(model)
            .options(RuntimeOptions.defaults().withOptimizedModelCache(outside))
            .open()) {
      assertThat(session.provider()).isEqualTo(InferenceSession.CPU_PROVIDER);
    }
    assertThat(outside).isNotEmptyFile(); // written for inspection, never read back
    model.close();
  }

  @Test
  void aClosedModelIsNotMistakenForAGpuFault() {
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    model.close();

    for (DevicePolicy policy : List.of(DevicePolicy.requireGpu(), DevicePolicy.preferGpu())) {
      assertThatThrownBy(() -> InferenceSession.builder(model).device(policy).open())
          .isExactlyInstanceOf(InferenceException.class)
          .hasMessage("verified model m is closed");
    }
  }

  @Test
  void loadsRefusalsAndClosesAreAudited() {
    List<AuditEvent> events = new ArrayList<>();
    AuditSink sink =
        event -> {
          events.add(event);
          return new AuditReceipt(events.size() - 1, new byte[32]);
        };
    Path dir = SignedModels.signed(temp.resolve("m"), OnnxModels.mlp());
    VerifiedModel model =
        VerifiedModel.builder(dir)
            .verifier(SignedModels.verifier())
            .workDirectory(temp.resolve("w"))
            .auditSink(sink, "svc-fraud")
            .load();

    InferenceSession.builder(model).open().close();

    assertThat(events)
        .extracting(AuditEvent::action, AuditEvent::outcome, AuditEvent::actor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("model.load", "success", "svc-fraud"),
            org.assertj.core.groups.Tuple.tuple("model.close", "success", "svc-fraud"));
    assertThat(events.get(0).subject()).isEqualTo("m@" + model.digest());
    assertThat(events.get(0).attributes())
        .containsEntry("provider", "CPUExecutionProvider")
        .containsEntry("device", "cpu")
        .containsEntry("digest", model.digest());
  }

  @Test
  void aLoadTheAuditLogCannotRecordFailsAndLeavesNoSession() {
    List<String> closes = new ArrayList<>();
    AuditSink failing =
        event -> {
          if (event.action().equals("model.load")) {
            throw new io.airgap.core.InputException("audit log full");
          }
          closes.add(event.action());
          return new AuditReceipt(0, new byte[32]);
        };
    Path dir = SignedModels.signed(temp.resolve("m"), OnnxModels.mlp());
    try (VerifiedModel model =
        VerifiedModel.builder(dir)
            .verifier(SignedModels.verifier())
            .workDirectory(temp.resolve("w"))
            .auditSink(failing, "svc-fraud")
            .load()) {

      assertThatThrownBy(() -> InferenceSession.builder(model).open())
          .isInstanceOf(io.airgap.core.InputException.class)
          .hasMessage("audit log full");
      // The native session was closed without a model.close event for a load never recorded.
      assertThat(closes).isEmpty();
    }
  }
}
