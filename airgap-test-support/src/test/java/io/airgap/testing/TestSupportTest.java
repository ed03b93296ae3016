package io.airgap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.signing.ManifestMismatchException;
import io.airgap.inference.ElementType;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.Tensor;
import io.airgap.inference.VerifiedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures as a user's test takes them: a built model, signed, loaded, run and audited. */
class TestSupportTest {
  @TempDir Path tmp;

  private static byte[] scale() {
    return OnnxModelBuilder.named("scale")
        .input("x", ElementType.FLOAT, "batch", 2)
        .output("y", ElementType.FLOAT, "batch", 2)
        .floats("k", new long[] {2}, 2f, 3f)
        .node("Mul", new String[] {"x", "k"}, "y")
        .metadata("task", "scale")
        .build();
  }

  @Test
  void aBuiltModelSignedAndLoadedRunsAndIsAudited() {
    SignedModelFixture model =
        SignedModelFixture.builder(tmp.resolve("scale"))
            .onnx(scale())
            .file("labels/units.txt", "cm\n")
            .write();

    try (TemporaryAuditLog audit = TemporaryAuditLog.open(tmp.resolve("audit"))) {
      try (VerifiedModel loaded =
              VerifiedModel.builder(model.directory())
                  .verifier(model.verifier())
                  .workDirectory(tmp)
                  .auditSink(audit.sink(), "test")
                  .load();
          InferenceSession session = InferenceSession.builder(loaded).open()) {
        Tensor y =
            session.run(Map.of("x", Tensor.ofFloats(new float[][] {{1, 1}, {2, -1}}))).get("y");

        assertThat(y.floats()).containsExactly(2, 3, 4, -3);
        assertThat(loaded.hasFile("labels/units.txt")).isTrue();
        assertThat(loaded.report().resourcesChecked()).isEqualTo(2);
      }
      assertThat(audit.actions()).contains("model.load");
      assertThat(audit.events().get(0).actor()).isEqualTo("test");
      assertThat(audit.verify().size()).isEqualTo(audit.events().size());
    }
  }

  @Test
  void aFixtureChangedAfterSigningIsRefused() throws Exception {
    SignedModelFixture model = SignedModelFixture.builder(tmp.resolve("m")).onnx(scale()).write();
    Files.writeString(model.directory().resolve("extra.txt"), "added later");

    assertThatThrownBy(() -> model.verifier().verify(model.directory(), model.signature()))
        .isInstanceOf(ManifestMismatchException.class)
        .hasMessageContaining("extra [extra.txt]");
  }

  @Test
  void theSignatureNameAndEmptyModelsAreRefused() {
    SignedModelFixture.Builder builder = SignedModelFixture.builder(tmp.resolve("m"));

    assertThatThrownBy(() -> builder.file("model.sig", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model.sig is written by the signer");
    assertThatThrownBy(builder::write)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a model needs at least one file: call onnx() or file()");
  }

  @Test
  void badDimensionsAndInitializerSizesAreRefusedAtTheCall() {
    OnnxModelBuilder builder = OnnxModelBuilder.named("bad");

    assertThatThrownBy(() -> builder.input("x", ElementType.FLOAT, "batch", 2.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dimension 1 of x must be a size or a symbol, got 2.5");
    assertThatThrownBy(() -> builder.input("x", ElementType.FLOAT, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("dimension 0 of x is negative: -1");
    assertThatThrownBy(() -> builder.floats("w", new long[] {2, 2}, 1f, 2f, 3f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initializer w has 3 values for 4 elements");
  }

  @Test
  void anAuditLogReadsBackWhatWasAppended() {
    AuditEvent event =
        AuditEvent.builder("model.replace")
            .timestamp(Instant.parse("2026-12-06T10:00:00Z"))
            .actor("ops")
            .subject("fraud/detector@sha256:ab")
            .build();
    try (TemporaryAuditLog audit = TemporaryAuditLog.open(tmp.resolve("log"))) {
      audit.sink().append(event);

      assertThat(audit.events()).containsExactly(event);
      assertThat(audit.verify().size()).isEqualTo(1);
    }
  }

  @Test
  void aLogIsNotOpenedOverADirectoryThatHoldsFiles() throws Exception {
    Files.writeString(tmp.resolve("keep.txt"), "mine");

    assertThatThrownBy(() -> TemporaryAuditLog.open(tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an empty directory: " + tmp);
  }

  @Test
  void anInvalidGraphIsRefusedBeforeOnnxRuntimeSeesIt() {
    OnnxModelBuilder builder =
        OnnxModelBuilder.named("g")
            .input("x", ElementType.FLOAT, 2)
            .output("y", ElementType.FLOAT, 2);

    assertThatThrownBy(() -> builder.node("Relu", new String[] {"z"}, "y"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("node Relu reads z, which no input, initializer or earlier node defines");
    assertThatThrownBy(() -> builder.input("x", ElementType.FLOAT, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input x is defined twice (each value has one definition in ONNX)");
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("model g: output y is computed by no node");
  }

  @Test
  void aFixtureFileOutsideTheModelIsRefusedNamingIt() {
    SignedModelFixture.Builder builder = SignedModelFixture.builder(tmp.resolve("m"));

    assertThatThrownBy(() -> builder.file("../evil.txt", "x"))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "fixture file: file name '../evil.txt' has a '..' segment that escapes the model"
                + " directory");
  }
}
