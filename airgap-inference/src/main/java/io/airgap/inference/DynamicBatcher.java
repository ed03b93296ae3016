package io.airgap.inference;

import io.airgap.core.LogContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects single requests to a model with a dynamic batch dimension and runs them together: a
 * batch closes when it holds {@code maxBatch} rows or when its oldest request has waited {@code
 * maxDelay}, runs once, and each caller gets its own rows of every output. Where requests differ in
 * their other dimensions (sentences of different lengths), each input is padded at the end with its
 * configured value (zero by default), so padded dimensions stay padded in the outputs: use an
 * attention mask input, as transformer encoders do. Each request is checked alone before it joins a
 * batch, so a bad one fails alone. The first dimension of every input and output must be the batch
 * (not, say, the time steps of a sequence-first recurrent model). Several batches may run at once
 * ({@code concurrentBatches}): one is collected while others run, which keeps every core busy where
 * one batch alone would not (give the session fewer intra-op threads then). Thread-safe.
 */
public final class DynamicBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

  private final InferenceSession session;
  private final int maxBatch;
  private final long maxDelayNanos;
  private final Map<String, Object> padding;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final Deque<Request> pending = new ArrayDeque<>();
  private final List<Thread> workers = new ArrayList<>();
  private boolean closed;

  private DynamicBatcher(
      InferenceSession session,
      int maxBatch,
      Duration maxDelay,
      Map<String, Object> padding,
      int concurrentBatches) {
    this.session = session;
    this.maxBatch = maxBatch;
    this.maxDelayNanos = maxDelay.toNanos();
    this.padding = Map.copyOf(padding);
    for (int i = 0; i < concurrentBatches; i++) {
      Thread worker = new Thread(this::work, "airgap-batcher-" + session.model().name() + "-" + i);
      worker.setDaemon(true);
      workers.add(worker);
    }
    workers.forEach(Thread::start);
  }

  /**
   * A batcher over {@code session}.
   *
   * @param maxBatch the most rows per run
   * @param maxDelay how long the oldest request may wait for others
   * @param padding per input, the value its other dimensions are padded with (zero when absent)
   * @throws IllegalArgumentException when an input or output has no dynamic first dimension, or the
   *     limits are not positive
   */
  public static DynamicBatcher create(
      InferenceSession session, int maxBatch, Duration maxDelay, Map<String, Object> padding) {
    return create(session, maxBatch, maxDelay, padding, 1);
  }

  /**
   * A batcher over {@code session} that runs up to {@code concurrentBatches} batches at once.
   *
   * @param maxBatch the most rows per run
   * @param maxDelay how long the oldest request may wait for others
   * @param padding per input, the value its other dimensions are padded with (zero when absent)
   * @param concurrentBatches how many batches may run at the same time (one thread each)
   * @throws IllegalArgumentException when an input or output has no dynamic first dimension, or the
   *     limits are not positive
   */
  public static DynamicBatcher create(
      InferenceSession session,
      int maxBatch,
      Duration maxDelay,
      Map<String, Object> padding,
      int concurrentBatches) {
    if (maxBatch < 1 || maxDelay.isNegative() || concurrentBatches < 1) {
      throw new IllegalArgumentException(
          "maxBatch and concurrentBatches must be at least 1 and maxDelay not negative");
    }
    List<String> fixed = new ArrayList<>();
    for (TensorSpec spec : session.inputs()) {
      if (!spec.hasDynamicBatch()) {
        fixed.add("input " + spec);
      }
    }
    for (TensorSpec spec : session.outputs()) {
      if (!spec.hasDynamicBatch()) {
        fixed.add("output " + spec);
      }
    }
    if (!fixed.isEmpty()) {
      throw new IllegalArgumentException(
          "model "
              + session.model().name()
              + " cannot be batched: "
              + String.join(", ", fixed)
              + " has no dynamic first dimension");
    }
    for (Map.Entry<String, Object> pad : padding.entrySet()) {
      TensorSpec spec =
          session.inputs().stream()
              .filter(s -> s.name().equals(pad.getKey()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "padding names input "
                              + pad.getKey()
                              + ", which the model does not take"));
      if (spec.type() != null) {
        try {
          Tensor.checkPadding(spec.type(), pad.getValue());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "padding for input " + pad.getKey() + ": " + e.getMessage(), e);
        }
      }
    }
    return new DynamicBatcher(session, maxBatch, maxDelay, padding, concurrentBatches);
  }

  /**
   * Runs one request (its first dimension is its row count, usually 1) as part of a batch.
   *
   * @return this request's rows of every output
   * @throws InputMismatchException when the request does not fit the model
   * @throws SessionClosedException after {@link #close()} or when the session closes
   */
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    session.validate(inputs);
    Request request = new Request(inputs, rows(inputs), System.nanoTime());
    lock.lock();
    try {
      if (closed) {
        throw new SessionClosedException(session.model().name());
      }
      pending.add(request);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      return request.result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InferenceException(
          "interrupted while waiting for a batch of " + session.model().name(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new InferenceException(
          "batch of " + session.model().name() + " failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * The request's row count: the first dimension, which every input must share, since the batch is
   * cut back into requests along it.
   */
  private long rows(Map<String, Tensor> inputs) {
    long rows = -1;
    String first = null;
    for (Map.Entry<String, Tensor> input : inputs.entrySet()) {
      long[] shape = input.getValue().shapeView();
      long these = shape.length == 0 ? 1 : shape[0];
      if (first == null) {
        first = input.getKey();
        rows = these;
      } else if (these != rows) {
        throw new InputMismatchException(
            session.model().name(),
            List.of(
                "input "
                    + input.getKey()
                    + " has "
                    + these
                    + " rows but input "
                    + first
                    + " has "
                    + rows
                    + ": a batched request needs the same first dimension in every input"));
      }
    }
    return rows;
  }

  /** One caller's request and where its answer goes. */
  private static final class Request {
    final Map<String, Tensor> inputs;
    final long rows;
    final long enqueued;
    final CompletableFuture<Map<String, Tensor>> result = new CompletableFuture<>();

    Request(Map<String, Tensor> inputs, long rows, long enqueued) {
      this.inputs = inputs;
      this.rows = rows;
      this.enqueued = enqueued;
    }
  }

  private void work() {
    while (true) {
      List<Request> batch = nextBatch();
      if (batch == null) {
        return;
      }
      if (!batch.isEmpty()) {
        runBatch(batch);
      }
    }
  }

  /**
   * Waits for a full batch or the oldest request's deadline; null once closed and drained. Another
   * worker may take the requests while this one waits, so the queue's head is read again after
   * every wake-up.
   */
  private List<Request> nextBatch() {
    lock.lock();
    try {
      while (true) {
        if (pending.isEmpty()) {
          if (closed) {
            return null;
          }
          arrived.awaitUninterruptibly();
          continue;
        }
        long wait = pending.peekFirst().enqueued + maxDelayNanos - System.nanoTime();
        if (closed || wait <= 0 || rows() >= maxBatch) {
          return takeBatch();
        }
        try {
          arrived.awaitNanos(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return takeBatch();
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Takes up to {@code maxBatch} rows from the queue, oldest first; the lock is held. */
  private List<Request> takeBatch() {
    List<Request> batch = new ArrayList<>();
    long rows = 0;
    while (!pending.isEmpty() && (batch.isEmpty() || rows + pending.peekFirst().rows <= maxBatch)) {
      Request next = pending.pollFirst();
      batch.add(next);
      rows += next.rows;
    }
    if (!pending.isEmpty()) {
      arrived.signalAll(); // what is left is the next batch, for another worker
    }
    return batch;
  }

  /** Rows waiting for a batch, for tests. */
  long queuedRows() {
    lock.lock();
    try {
      return rows();
    } finally {
      lock.unlock();
    }
  }

  private long rows() {
    long rows = 0;
    for (Request request : pending) {
      rows += request.rows;
    }
    return rows;
  }

  /**
   * A padded batch may not hold more than this many times the elements its requests bring: one
   * request of an odd shape (long in one dimension, another long in the next) would otherwise make
   * everyone's batch huge. Such a batch runs request by request instead.
   */
  private static final int MAX_PADDING_FACTOR = 8;

  private void runBatch(List<Request> batch) {
    if (batch.size() > 1 && !worthStacking(batch)) {
      for (Request request : batch) {
        runBatch(List.of(request)); // alone: only a bad request can fail, and only itself
      }
      return;
    }
    long started = System.nanoTime();
    VerifiedModel model = session.model();
    try (LogContext context = LogContext.request(model.name(), model.digest())) {
      Map<String, Tensor> stacked = new LinkedHashMap<>();
      for (String name : batch.get(0).inputs.keySet()) {
        List<Tensor> parts = new ArrayList<>();
        for (Request request : batch) {
          parts.add(request.inputs.get(name));
        }
        stacked.put(
            name, batch.size() == 1 ? parts.get(0) : Tensor.stack(parts, padding.get(name)));
      }
      Map<String, Tensor> outputs = session.runUnobserved(stacked);
      long runNanos = System.nanoTime() - started;
      long offset = 0;
      for (Request request : batch) {
        Map<String, Tensor> mine = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> output : outputs.entrySet()) {
          mine.put(
              output.getKey(),
              batch.size() == 1 ? output.getValue() : output.getValue().rows(offset, request.rows));
        }
        offset += request.rows;
        request.result.complete(java.util.Collections.unmodifiableMap(mine));
      }
      session.notifyListener(stacked, outputs, started - batch.get(0).enqueued, runNanos);
    } catch (Throwable e) { // an Error too: its callers must not wait forever, nor later ones
      for (Request request : batch) {
        request.result.completeExceptionally(e);
      }
      if (!(e instanceof RuntimeException)) {
        LOG.error("batch of {} failed: {}", model.name(), e.toString());
      }
    }
  }

  /** Whether every input of the batch stacks within {@link #MAX_PADDING_FACTOR}. */
  private static boolean worthStacking(List<Request> batch) {
    for (String name : batch.get(0).inputs.keySet()) {
      List<Tensor> parts = new ArrayList<>();
      long given = 0;
      for (Request request : batch) {
        Tensor part = request.inputs.get(name);
        parts.add(part);
        given += part.elementCount();
      }
      long stacked = Tensor.stackedElements(parts);
      if (stacked < 0 || stacked > MAX_PADDING_FACTOR * Math.max(1, given)) {
        return false;
      }
    }
    return true;
  }

  /** Stops taking requests, runs those already queued, and ends the workers. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    for (Thread worker : workers) {
      try {
        TimeUnit.NANOSECONDS.timedJoin(worker, Math.max(1, deadline - System.nanoTime()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (workers.stream().anyMatch(Thread::isAlive)) {
      LOG.warn("batcher of {} did not finish its queue within a minute", session.model().name());
    }
  }
}
