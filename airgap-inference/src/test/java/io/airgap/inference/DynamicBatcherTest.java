package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single requests are stacked into batches, run once, and each caller gets its own rows. */
class DynamicBatcherTest {
  @TempDir Path temp;

  private InferenceSession mlp(List<Long> batchSizes) {
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    return InferenceSession.builder(model).listener(e -> batchSizes.add(e.batchSize())).open();
  }

  @Test
  void concurrentCallersShareRunsAndGetTheirOwnRows() throws Exception {
    List<Long> batchSizes = Collections.synchronizedList(new ArrayList<>());
    try (InferenceSession session = mlp(batchSizes);
        DynamicBatcher batcher =
            DynamicBatcher.create(session, 8, Duration.ofMillis(20), Map.of())) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<Future<float[]>> answers = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        float v = i;
        answers.add(
            pool.submit(
                () ->
                    batcher
                        .run(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, v, 1, -v, 2)))
                        .get("y")
                        .floats()));
      }
      for (int i = 0; i < 64; i++) {
        float[] expected = OnnxModels.mlpExpected(new float[] {i, 1, -i, 2});
        float[] got = answers.get(i).get();
        for (int k = 0; k < 3; k++) {
          assertThat(got[k]).isCloseTo(expected[k], within(1e-4f));
        }
      }
      pool.shutdown();
    }
    assertThat(batchSizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(64);
    assertThat(batchSizes).allMatch(size -> size <= 8);
    assertThat(batchSizes.size()).isLessThan(64); // some runs held several requests
  }

  @Test
  void concurrentBatchesRunAtTheSameTime() throws Exception {
    // Each batch's listener call waits for the other's: only two batches running at once let
    // both calls see the latch reach zero.
    CountDownLatch bothRunning = new CountDownLatch(2);
    List<Boolean> sawTheOther = Collections.synchronizedList(new ArrayList<>());
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    try (InferenceSession session =
            InferenceSession.builder(model)
                .listener(
                    e -> {
                      bothRunning.countDown();
                      try {
                        sawTheOther.add(bothRunning.await(20, TimeUnit.SECONDS));
                      } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                      }
                    })
                .open();
        DynamicBatcher batcher =
            DynamicBatcher.create(session, 1, Duration.ofMillis(1), Map.of(), 2)) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Future<Map<String, Tensor>>> answers = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        answers.add(
            pool.submit(
                () -> batcher.run(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, 1, 2, 3, 4)))));
      }
      for (Future<Map<String, Tensor>> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS).get("y").shape()).containsExactly(1, 3);
      }
      pool.shutdown();
    }
    assertThat(sawTheOther).containsExactly(true, true);
  }

  @Test
  void closeRunsTheRequestsStillWaitingForTheirDelay() throws Exception {
    List<Long> batchSizes = Collections.synchronizedList(new ArrayList<>());
    List<Future<Map<String, Tensor>>> answers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try (InferenceSession session = mlp(batchSizes)) {
      DynamicBatcher batcher =
          DynamicBatcher.create(session, 5, Duration.ofMinutes(10), Map.of(), 3);
      for (int i = 0; i < 12; i++) {
        answers.add(
            pool.submit(
                () -> batcher.run(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, 1, 2, 3, 4)))));
      }
      // Two full batches of 5 run at once; the last 2 requests would wait ten minutes.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!(sum(batchSizes) == 10 && batcher.queuedRows() == 2)
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(batcher.queuedRows()).isEqualTo(2);

      batcher.close();

      for (Future<Map<String, Tensor>> answer : answers) {
        assertThat(answer.get(30, TimeUnit.SECONDS).get("y").shape()).containsExactly(1, 3);
      }
    }
    pool.shutdown();
    assertThat(batchSizes).containsExactlyInAnyOrder(5L, 5L, 2L);
  }

  private static long sum(List<Long> sizes) {
    synchronized (sizes) {
      return sizes.stream().mapToLong(Long::longValue).sum();
    }
  }

  @Test
  void aRequestWhoseInputsDifferInRowsIsRefusedBeforeItJoinsABatch() {
    // Differently named first dimensions pass validation; stacking them would hand one caller's
    // rows to another.
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(
                temp.resolve("pair"),
                new io.airgap.inference.internal.OnnxGraph("pair")
                    .input("x", io.airgap.inference.internal.OnnxGraph.FLOAT, "n", 2L)
                    .input("y", io.airgap.inference.internal.OnnxGraph.FLOAT, "m", 2L)
                    .output("x_out", io.airgap.inference.internal.OnnxGraph.FLOAT, "n", 2L)
                    .output("y_out", io.airgap.inference.internal.OnnxGraph.FLOAT, "m", 2L)
                    .node("Identity", new String[] {"x"}, "x_out")
                    .node("Identity", new String[] {"y"}, "y_out")
                    .toBytes()),
            temp.resolve("w"));
    try (InferenceSession session = InferenceSession.builder(model).open();
        DynamicBatcher batcher =
            DynamicBatcher.create(session, 4, Duration.ofMillis(1), Map.of())) {
      Map<String, Tensor> uneven = new java.util.LinkedHashMap<>();
      uneven.put("x", Tensor.ofFloats(new long[] {1, 2}, 1, 2));
      uneven.put("y", Tensor.ofFloats(new long[] {2, 2}, 1, 2, 3, 4));

      assertThatThrownBy(() -> batcher.run(uneven))
          .isInstanceOf(InputMismatchException.class)
          .hasMessage(
              "inputs do not match model pair: input y has 2 rows but input x has 1: a batched"
                  + " request needs the same first dimension in every input");
      assertThat(session.run(uneven).get("y_out").shape()).containsExactly(2, 2);
    }
  }

  @Test
  void anErrorInABatchLeavesTheWorkerServing() {
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    try (InferenceSession session =
            InferenceSession.builder(model)
                .listener(
                    e -> {
                      if (calls.getAndIncrement() == 0) {
                        throw new StackOverflowError("listener broke");
                      }
                    })
                .open();
        DynamicBatcher batcher =
            DynamicBatcher.create(session, 1, Duration.ofMillis(1), Map.of())) {
      Map<String, Tensor> request = Map.of("x", Tensor.ofFloats(new long[] {1, 4}, 1, 2, 3, 4));

      assertThat(batcher.run(request).get("y").shape()).containsExactly(1, 3);
      assertThat(batcher.run(request).get("y").shape()).containsExactly(1, 3);
    }
    // Closed: the worker has finished the second batch's listener call as well.
    assertThat(calls).hasValue(2);
  }

  @Test
  void paddingMustFitItsInput() {
    try (InferenceSession session = mlp(new ArrayList<>())) {
      assertThatThrownBy(
              () -> DynamicBatcher.create(session, 4, Duration.ofMillis(1), Map.of("x", "pad")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("padding for input x: pad (String) cannot pad float values");
      assertThatThrownBy(
              () -> DynamicBatcher.create(session, 4, Duration.ofMillis(1), Map.of("nope", 0f)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("padding names input nope, which the model does not take");
    }
    assertThatThrownBy(() -> Tensor.checkPadding(ElementType.UINT8, 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("256 (Integer) cannot pad uint8 values");
    assertThatThrownBy(() -> Tensor.checkPadding(ElementType.BOOL, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2 (Integer) cannot pad bool values");
    Tensor.checkPadding(ElementType.INT64, 0L);
    Tensor.checkPadding(ElementType.BOOL, false);
  }

  @Test
  void requestsWhosePaddingWouldExplodeRunAlone() throws Exception {
    List<Long> batchSizes = Collections.synchronizedList(new ArrayList<>());
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(
                temp.resolve("cube"),
                new io.airgap.inference.internal.OnnxGraph("cube")
                    .input("x", io.airgap.inference.internal.OnnxGraph.FLOAT, "n", "a", "b")
                    .output("y", io.airgap.inference.internal.OnnxGraph.FLOAT, "n", "a", "b")
                    .node("Identity", new String[] {"x"}, "y")
                    .toBytes()),
            temp.resolve("w"));
    try (InferenceSession session =
            InferenceSession.builder(model).listener(e -> batchSizes.add(e.batchSize())).open();
        DynamicBatcher batcher =
            DynamicBatcher.create(session, 2, Duration.ofSeconds(10), Map.of())) {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      // [1, 1, 64] and [1, 64, 1] would pad to [2, 64, 64]: 64 times what they hold.
      Future<Map<String, Tensor>> wide =
          pool.submit(
              () ->
                  batcher.run(Map.of("x", Tensor.ofFloats(new long[] {1, 1, 64}, new float[64]))));
      Future<Map<String, Tensor>> tall =
          pool.submit(
              () ->
                  batcher.run(Map.of("x", Tensor.ofFloats(new long[] {1, 64, 1}, new float[64]))));

      assertThat(wide.get(30, TimeUnit.SECONDS).get("y").shape()).containsExactly(1, 1, 64);
      assertThat(tall.get(30, TimeUnit.SECONDS).get("y").shape()).containsExactly(1, 64, 1);
      pool.shutdown();
    }
    assertThat(batchSizes).containsExactly(1L, 1L);
  }

  @Test
  void limitsMustBePositive() {
    try (InferenceSession session = mlp(new ArrayList<>())) {
      assertThatThrownBy(() -> DynamicBatcher.create(session, 4, Duration.ofMillis(1), Map.of(), 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "maxBatch and concurrentBatches must be at least 1 and maxDelay not negative");
    }
  }

  @Test
  void aBadRequestFailsAloneAndAFixedShapeModelIsRefused() {
    List<Long> batchSizes = new ArrayList<>();
    try (InferenceSession session = mlp(batchSizes);
        DynamicBatcher batcher =
            DynamicBatcher.create(session, 4, Duration.ofMillis(1), Map.of())) {
      assertThatThrownBy(
              () -> batcher.run(Map.of("x", Tensor.ofFloats(new long[] {1, 3}, 1, 2, 3))))
          .isInstanceOf(InputMismatchException.class);
      assertThat(
              batcher
                  .run(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, 1, 2, 3, 4)))
                  .get("y")
                  .shape())
          .containsExactly(1, 3);
    }
    VerifiedModel fixed =
        SignedModels.load(
            SignedModels.signed(temp.resolve("f"), OnnxModels.fixedShape()), temp.resolve("w2"));
    try (InferenceSession session = InferenceSession.builder(fixed).open()) {
      assertThatThrownBy(() -> DynamicBatcher.create(session, 4, Duration.ofMillis(1), Map.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(
              "model f cannot be batched: input x: float [1, 4], output y: float [1, 4] has no"
                  + " dynamic first dimension");
    }
  }

  @Test
  void afterCloseRequestsAreRefused() {
    try (InferenceSession session = mlp(new ArrayList<>())) {
      DynamicBatcher batcher = DynamicBatcher.create(session, 4, Duration.ofMillis(1), Map.of());
      batcher.close();
      assertThatThrownBy(
              () -> batcher.run(Map.of("x", Tensor.ofFloats(new long[] {1, 4}, 1, 2, 3, 4))))
          .isInstanceOf(SessionClosedException.class);
    }
  }

  @Test
  void partsOfDifferentLengthsArePaddedAtTheEnd() {
    Tensor a = Tensor.ofLongs(new long[] {1, 2}, 7, 8);
    Tensor b = Tensor.ofLongs(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);

    Tensor stacked = Tensor.stack(List.of(a, b), 0L);

    assertThat(stacked.shape()).containsExactly(3, 3);
    assertThat(stacked.longs()).containsExactly(7, 8, 0, 1, 2, 3, 4, 5, 6);
    assertThat(stacked.rows(1, 2).longs()).containsExactly(1, 2, 3, 4, 5, 6);
    Tensor masks =
        Tensor.stack(
            List.of(
                Tensor.ofBooleans(new long[] {1, 1}, true),
                Tensor.ofBooleans(new long[] {1, 2}, true, true)),
            null);
    assertThat(masks.booleans()).containsExactly(true, false, true, true);
  }
}
