package io.airgap.drift.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airgap.core.FormatException;
import io.airgap.core.LogContext;
import io.airgap.core.audit.AuditEvent;
import io.airgap.core.audit.AuditReceipt;
import io.airgap.core.audit.AuditSink;
import io.airgap.drift.DriftProfile;
import io.airgap.drift.FeatureDrift;
import io.airgap.inference.ElementType;
import io.airgap.inference.InferenceListener;
import io.airgap.inference.InferenceSession;
import io.airgap.inference.Tensor;
import io.airgap.inference.VerifiedModel;
import io.airgap.testing.OnnxModelBuilder;
import io.airgap.testing.SignedModelFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.MDC;

class DriftMonitorTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  private final List<AuditEvent> audited = Collections.synchronizedList(new ArrayList<>());
  private final AuditSink sink =
      event -> {
        audited.add(event);
        return new AuditReceipt(audited.size() - 1, new byte[32]);
      };

  /** Reference: two numeric inputs around 0 and a class label that is "0" or "1" equally often. */
  private static DriftProfile reference() {
    Random random = new Random(1);
    double[] a = new double[1000];
    double[] b = new double[1000];
    String[] label = new String[1000];
    for (int i = 0; i < a.length; i++) {
      a[i] = random.nextGaussian();
      b[i] = random.nextGaussian();
      label[i] = Integer.toString(i % 2);
    }
    return DriftProfile.builder()
        .exactLimit(1_000)
        .maxCategories(10)
        .numeric("a", a)
        .numeric("b", b)
        .categorical("label", label)
        .build();
  }

  /** A monitor of windows of 500 rows. */
  private DriftMonitor.Builder monitor() {
    return unwindowed().windowRows(500);
  }

  private DriftMonitor.Builder unwindowed() {
    return DriftMonitor.builder(reference())
        .columns("x", "a", "b")
        .columns("label", "label")
        .auditSink(sink, "monitor-test")
        .clock(CLOCK);
  }

  /** A run of {@code rows} rows: x [rows, 2] gaussian plus {@code shift}, label [rows] int64. */
  private static InferenceListener.RunEvent run(Random random, int rows, double shift) {
    float[] x = new float[rows * 2];
    long[] labels = new long[rows];
    for (int r = 0; r < rows; r++) {
      x[2 * r] = (float) (random.nextGaussian() + shift);
      x[2 * r + 1] = (float) random.nextGaussian();
      labels[r] = r % 2;
    }
    return event(
        Map.of("x", Tensor.ofFloats(new long[] {rows, 2}, x)),
        Map.of("label", Tensor.ofLongs(new long[] {rows}, labels)));
  }

  /** A run of model clf with these tensors; the batch size is the first input's first dimension. */
  private static InferenceListener.RunEvent event(
      Map<String, Tensor> inputs, Map<String, Tensor> outputs) {
    long rows = inputs.values().iterator().next().shape()[0];
    return new InferenceListener.RunEvent("clf", DIGEST, 0, 1000, rows, inputs, outputs);
  }

  @Test
  void windowLikeTheReferenceIsAuditedAsStable() {
    List<DriftMonitor.Decision> decisions = new ArrayList<>();
    DriftMonitor monitor = monitor().onDecision(decisions::add).build();
    Random random = new Random(7);
    for (int i = 0; i < 10; i++) {
      monitor.onRun(run(random, 50, 0));
    }

    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).drifted()).isFalse();
    assertThat(decisions.get(0).driftedFeatures()).isEmpty();
    assertThat(decisions.get(0).window().rows()).isEqualTo(500);
    assertThat(audited).hasSize(1);
    AuditEvent event = audited.get(0);
    assertThat(event.action()).isEqualTo("drift.window");
    assertThat(event.actor()).isEqualTo("monitor-test");
    assertThat(event.subject()).isEqualTo("clf@" + DIGEST);
    assertThat(event.outcome()).isEqualTo("stable");
    assertThat(event.timestamp()).isEqualTo(CLOCK.instant());
    assertThat(event.attributes())
        .containsEntry("rows", "500")
        .containsEntry("features", "3")
        .containsEntry("correction", "none")
        .containsEntry("driftedFeatures", "0")
        .containsEntry("digest", DIGEST)
        .doesNotContainKey("drifted");
  }

  @Test
  void shiftedInputDriftsThatFeatureOnly() {
    List<DriftMonitor.Decision> decisions = new ArrayList<>();
    DriftMonitor monitor = monitor().onDecision(decisions::add).build();
    Random random = new Random(3);
    for (int i = 0; i < 10; i++) {
      monitor.onRun(run(random, 50, 1.5));
    }

    DriftMonitor.Decision decision = decisions.get(0);
    assertThat(decision.driftedFeatures()).containsExactly("a");
    assertThat(decision.drifted()).isFalse(); // one feature of three: below half
    assertThat(decision.report().features())
        .filteredOn(f -> f.feature().equals("a"))
        .extracting(FeatureDrift::verdict)
        .containsExactly(FeatureDrift.Verdict.DRIFTED);
    assertThat(audited.get(0).attributes())
        .containsEntry("driftedFeatures", "1")
        .containsEntry("drifted", "a");
    assertThat(audited.get(0).outcome()).isEqualTo("stable");
  }

  @Test
  void mostFeaturesShiftedIsAuditedAsDrifted() {
    DriftMonitor monitor = monitor().build();
    Random random = new Random(4);
    for (int i = 0; i < 10; i++) {
      InferenceListener.RunEvent shifted = run(random, 50, 2);
      long[] labels = new long[50]; // every label 1: the category mix changes
      java.util.Arrays.fill(labels, 1);
      monitor.onRun(
          event(shifted.inputs(), Map.of("label", Tensor.ofLongs(new long[] {50}, labels))));
    }

    assertThat(audited).hasSize(1);
    assertThat(audited.get(0).outcome()).isEqualTo("drifted");
    assertThat(audited.get(0).attributes()).containsEntry("drifted", "a,label");
  }

  @Test
  void flushClosesAPartialWindow() {
    DriftMonitor monitor = monitor().build();
    monitor.onRun(run(new Random(5), 40, 0));
    assertThat(audited).isEmpty();

    monitor.flush();

    assertThat(audited).hasSize(1);
    assertThat(audited.get(0).attributes()).containsEntry("rows", "40");
  }

  @Test
  void aFailedAuditAppendStillReachesTheCallbackAndLosesNoRow() {
    List<DriftMonitor.Decision> decisions = new ArrayList<>();
    DriftMonitor monitor =
        DriftMonitor.builder(reference())
            .columns("x", "a", "b")
            .columns("label", "label")
            .windowRows(30)
            .auditSink(
                event -> {
                  throw new io.airgap.core.InputException("audit log full");
                },
                "monitor-test")
            .onDecision(decisions::add)
            .build();

    assertThatThrownBy(() -> monitor.onRun(run(new Random(8), 50, 0)))
        .isInstanceOf(io.airgap.core.InputException.class)
        .hasMessage("audit log full");
    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).window().rows()).isEqualTo(30);
    // The other 20 rows of the run were recorded after the failure: flushing decides them.
    assertThatThrownBy(monitor::flush).hasMessage("audit log full");
    assertThat(decisions).hasSize(2);
    assertThat(decisions.get(1).window().rows()).isEqualTo(20);
  }

  @Test
  void rowsOfAnotherModelAreRefused() {
    DriftMonitor monitor = monitor().build();
    monitor.onRun(run(new Random(9), 5, 0));
    InferenceListener.RunEvent other = run(new Random(9), 5, 0);
    InferenceListener.RunEvent otherModel =
        new InferenceListener.RunEvent(
            "clf-v2", "sha256:" + "cd".repeat(32), 0, 1, 5, other.inputs(), other.outputs());

    assertThatThrownBy(() -> monitor.onRun(otherModel))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "this drift monitor watches model clf "
                + DIGEST
                + ", not clf-v2 sha256:"
                + "cd".repeat(32)
                + "; give each model its own monitor");
  }

  @Test
  void floatsForACategoricalFeatureAreRefused() {
    DriftMonitor monitor = monitor().build();
    InferenceListener.RunEvent event =
        event(
            Map.of("x", Tensor.ofFloats(new long[] {1, 2}, 1, 2)),
            Map.of("label", Tensor.ofFloats(new long[] {1}, 1)));

    assertThatThrownBy(() -> monitor.onRun(event))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "feature label is categorical in the reference, but its tensor holds floating-point"
                + " numbers; map an integer or string tensor to it");
  }

  @Test
  void aTimeWindowClosesAtTheFirstRowAfterItsSpan() {
    java.util.concurrent.atomic.AtomicReference<Instant> now =
        new java.util.concurrent.atomic.AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));
    Clock moving =
        new Clock() {
          @Override
          public ZoneOffset getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now.get();
          }
        };
    List<DriftMonitor.Decision> decisions = new ArrayList<>();
    DriftMonitor monitor =
        unwindowed()
            .windowTime(java.time.Duration.ofMinutes(10), moving)
            .onDecision(decisions::add)
            .build();
    Random random = new Random(10);

    monitor.onRun(run(random, 20, 0));
    now.set(now.get().plusSeconds(599));
    monitor.onRun(run(random, 20, 0));
    assertThat(decisions).isEmpty();
    now.set(now.get().plusSeconds(1)); // ten minutes after the window opened
    monitor.onRun(run(random, 20, 0));

    assertThat(decisions).hasSize(1);
    assertThat(decisions.get(0).window().rows()).isEqualTo(40);
    assertThat(decisions.get(0).window().opened()).isEqualTo(Instant.parse("2026-11-26T12:00:00Z"));
    assertThat(decisions.get(0).window().closed()).isEqualTo(Instant.parse("2026-11-26T12:10:00Z"));
  }

  @Test
  void rowsFromManyThreadsAreEachCountedOnce() throws Exception {
    List<DriftMonitor.Decision> decisions =
        java.util.Collections.synchronizedList(new ArrayList<>());
    DriftMonitor monitor = monitor().onDecision(decisions::add).build();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int seed = t;
      futures.add(
          pool.submit(
              () -> {
                Random random = new Random(seed);
                for (int i = 0; i < 50; i++) {
                  monitor.onRun(run(random, 7, 0));
                }
              }));
    }
    for (java.util.concurrent.Future<?> future : futures) {
      future.get();
    }
    pool.shutdown();
    monitor.flush();

    // 8 threads x 50 runs x 7 rows = 2,800 rows: five full windows and one of 300.
    assertThat(decisions.stream().mapToLong(d -> d.window().rows()).sum()).isEqualTo(2800);
    assertThat(decisions).hasSize(6);
    assertThat(audited).hasSize(6);
  }

  @Test
  void buildListsEveryMappingProblem() {
    assertThatThrownBy(() -> DriftMonitor.builder(reference()).columns("x", "a", "c").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "drift monitor columns do not match the reference: feature c is not in the reference"
                + " profile; reference feature b is mapped from no tensor; reference feature"
                + " label is mapped from no tensor");
  }

  @Test
  void wrongColumnCountIsRefusedWithTheShapeItNeeds() {
    DriftMonitor monitor = monitor().build();
    InferenceListener.RunEvent event =
        event(
            Map.of("x", Tensor.ofFloats(new long[] {1, 3}, 1, 2, 3)),
            Map.of("label", Tensor.ofLongs(new long[] {1}, 0)));

    assertThatThrownBy(() -> monitor.onRun(event))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "tensor x has shape [1, 3]; the drift monitor maps it to 2 column(s), so it needs"
                + " shape [batch, 2]");
  }

  @Test
  void missingTensorIsNamedWithWhatTheRunHad() {
    DriftMonitor monitor = monitor().build();
    InferenceListener.RunEvent event =
        event(
            Map.of("x", Tensor.ofFloats(new long[] {1, 2}, 1, 2)),
            Map.of("y", Tensor.ofLongs(new long[] {1}, 0)));

    assertThatThrownBy(() -> monitor.onRun(event))
        .isInstanceOf(FormatException.class)
        .hasMessage(
            "drift monitor maps tensor label, which the run of clf has neither as input [x] nor"
                + " as output [y]");
  }

  @Test
  void stringsForANumericFeatureAreRefused() {
    DriftProfile reference =
        DriftProfile.builder()
            .bins(4)
            .exactLimit(100)
            .maxCategories(2)
            .numeric("n", new double[] {1, 2, 3})
            .build();
    DriftMonitor monitor = DriftMonitor.builder(reference).columns("s", "n").build();
    InferenceListener.RunEvent event =
        event(Map.of("s", Tensor.ofStrings(new long[] {1}, "x")), Map.of());

    assertThatThrownBy(() -> monitor.onRun(event))
        .isInstanceOf(FormatException.class)
        .hasMessage("feature n is numeric in the reference, but its tensor holds strings");
  }

  @Test
  void watchesALiveSessionWithTheLogContextSet(@TempDir Path tmp) {
    DriftProfile reference =
        DriftProfile.builder()
            .bins(4)
            .exactLimit(100)
            .maxCategories(2)
            .numeric("x0", new double[] {0, 1, 2, 3})
            .numeric("x1", new double[] {0, 1, 2, 3})
            .numeric("x2", new double[] {0, 1, 2, 3})
            .numeric("x3", new double[] {0, 1, 2, 3})
            .numeric("y0", new double[] {0, 1, 2, 3})
            .numeric("y1", new double[] {0, 1, 2, 3})
            .numeric("y2", new double[] {0, 1, 2, 3})
            .build();
    List<String> seenInListener = new ArrayList<>();
    DriftMonitor monitor =
        DriftMonitor.builder(reference)
            .columns("x", "x0", "x1", "x2", "x3")
            .columns("y", "y0", "y1", "y2")
            .windowRows(4)
            .auditSink(sink, "monitor-test")
            .build();
    byte[] onnx =
        OnnxModelBuilder.named("linear")
            .input("x", ElementType.FLOAT, "batch", 4)
            .output("y", ElementType.FLOAT, "batch", 3)
            .floats("w", new long[] {4, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1)
            .node("MatMul", new String[] {"x", "w"}, "y")
            .build();
    SignedModelFixture signed =
        SignedModelFixture.builder(tmp.resolve("linear")).onnx(onnx).write();
    try (VerifiedModel model =
            VerifiedModel.builder(signed.directory())
                .verifier(signed.verifier())
                .workDirectory(tmp.resolve("work"))
                .load();
        InferenceSession session =
            InferenceSession.builder(model)
                .listener(monitor)
                .listener(
                    e -> {
                      seenInListener.add(MDC.get(LogContext.MODEL));
                      seenInListener.add(MDC.get(LogContext.MODEL_DIGEST));
                      seenInListener.add(MDC.get(LogContext.REQUEST));
                    })
                .open()) {
      MDC.put(LogContext.REQUEST, "host-request-7");
      try {
        session.run(Map.of("x", Tensor.ofFloats(new long[] {4, 4}, new float[16])));
      } finally {
        MDC.remove(LogContext.REQUEST);
      }

      assertThat(seenInListener).containsExactly("linear", model.digest(), "host-request-7");
      assertThat(MDC.get(LogContext.MODEL)).isNull();
      assertThat(audited).hasSize(1);
      assertThat(audited.get(0).subject()).isEqualTo("linear@" + model.digest());
      assertThat(audited.get(0).attributes()).containsEntry("rows", "4");
    }
  }

  @Test
  void aTimeWindowAfterARowWindowIsRefusedNamingBoth() {
    DriftMonitor.Builder builder = monitor();

    assertThatThrownBy(() -> builder.windowTime(java.time.Duration.ofMinutes(1), CLOCK))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("windowTime(...) conflicts with windowRows(...) given before; give one window");
  }
}
