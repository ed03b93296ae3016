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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
