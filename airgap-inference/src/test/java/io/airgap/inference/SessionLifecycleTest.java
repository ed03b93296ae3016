package io.airgap.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One session, many threads; close waits for runs in flight and refuses later ones. */
class SessionLifecycleTest {
  @TempDir Path temp;

  private static Map<String, Tensor> input() {
    return Map.of("x", Tensor.ofFloats(new long[] {2, 4}, 1, 2, 3, 4, 5, 6, 7, 8));
  }

  @Test
  void manyThreadsShareOneSession() throws Exception {
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    float[] expected;
    try (InferenceSession session = InferenceSession.builder(model).open()) {
      expected = session.run(input()).get("y").floats();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<float[]>> results = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        results.add(pool.submit(() -> session.run(input()).get("y").floats()));
      }
      for (Future<float[]> result : results) {
        assertThat(result.get()).containsExactly(expected);
      }
      pool.shutdown();
    }
  }

  @Test
  void closeDuringABurstWaitsForRunsInFlightAndRefusesLaterOnes() throws Exception {
    VerifiedModel model =
        SignedModels.load(
            SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()), temp.resolve("w"));
    InferenceSession session = InferenceSession.builder(model).open();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    List<Throwable> unexpected = new ArrayList<>();
    CountDownLatch running = new CountDownLatch(8);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      pool.submit(
          () -> {
            running.countDown();
            while (true) {
              try {
                session.run(input());
                completed.incrementAndGet();
              } catch (SessionClosedException e) {
                refused.incrementAndGet();
                return;
              } catch (Throwable e) {
                synchronized (unexpected) {
                  unexpected.add(e);
                }
                return;
              }
            }
          });
    }
    running.await();
    Thread.sleep(50);

    session.close();
    pool.shutdown();

    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    assertThat(unexpected).isEmpty();
    assertThat(refused.get()).isEqualTo(8);
    assertThat(completed.get()).isPositive();
    assertThatThrownBy(() -> session.run(input()))
        .isInstanceOf(SessionClosedException.class)
        .hasMessage("the inference session of model m is closed; load the model again");
    assertThatThrownBy(session::metadata).isInstanceOf(SessionClosedException.class);
    session.close(); // a second close does nothing
    model.close();
  }

  @Test
  void aSecondCloseReturnsOnlyOnceTheFirstHasClosedTheSession() throws Exception {
    List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
    VerifiedModel model =
        VerifiedModel.builder(SignedModels.signed(temp.resolve("m"), OnnxModels.mlp()))
            .verifier(SignedModels.verifier())
            .workDirectory(temp.resolve("w"))
            .auditSink(
                event -> {
                  if (event.action().equals("model.close")) {
                    try {
                      Thread.sleep(300); // the first close is slow to finish
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }
                  events.add(event.action());
                  return new io.airgap.core.audit.AuditReceipt(events.size() - 1, new byte[32]);
                },
                "t")
            .load();
    InferenceSession session = InferenceSession.builder(model).open();
    CountDownLatch firstStarted = new CountDownLatch(1);
    Thread first =
        new Thread(
            () -> {
              firstStarted.countDown();
              session.close();
            });
    first.start();
    firstStarted.await();
    Thread.sleep(50);

    session.close();

    // Returning means the session is closed: its close was recorded, nothing is left to run.
    assertThat(events).containsExactly("model.load", "model.close");
    first.join(10_000);
    model.close();
  }
}
