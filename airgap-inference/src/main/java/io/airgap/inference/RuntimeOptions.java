package io.airgap.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;

/**
 * ONNX Runtime session settings: threads, graph optimisation, an optimised-model cache file, the
 * CPU memory arena and the execution mode. Defaults are ONNX Runtime's, except that telemetry is
 * always off. Immutable.
 *
 * @param intraOpThreads threads inside one operator, 0 for ONNX Runtime's default (the cores)
 * @param interOpThreads threads across operators in parallel mode, 0 for the default
 * @param optimization the graph optimisation level
 * @param optimizedModelCache where ONNX Runtime writes the optimised graph (for inspection; the SDK
 *     never loads it), or null for nowhere; a file inside the model's directory or snapshot is
 *     refused when the session opens
 * @param memoryArena whether the CPU memory arena is used
 * @param parallelExecution whether independent branches of the graph run in parallel
 */
public record RuntimeOptions(
    int intraOpThreads,
    int interOpThreads,
    Optimization optimization,
    Path optimizedModelCache,
    boolean memoryArena,
    boolean parallelExecution) {
  /** Graph optimisation levels. */
  public enum Optimization {
    /** No graph optimisation. */
    NONE(OrtSession.SessionOptions.OptLevel.NO_OPT),
    /** Redundant-node removal and constant folding. */
    BASIC(OrtSession.SessionOptions.OptLevel.BASIC_OPT),
    /** Plus node fusions. */
    EXTENDED(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT),
    /** Everything, including layout changes (ONNX Runtime's default). */
    ALL(OrtSession.SessionOptions.OptLevel.ALL_OPT);

    private final OrtSession.SessionOptions.OptLevel level;

    Optimization(OrtSession.SessionOptions.OptLevel level) {
      this.level = level;
    }
  }

  /** Checks the thread counts. */
  public RuntimeOptions {
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("thread counts must be 0 (default) or more");
    }
    if (optimization == null) {
      throw new IllegalArgumentException("optimization is required");
    }
  }

  /** ONNX Runtime's defaults. */
  public static RuntimeOptions defaults() {
    return new RuntimeOptions(0, 0, Optimization.ALL, null, true, false);
  }

  /** These options with the given intra-op and inter-op thread counts. */
  public RuntimeOptions withThreads(int intraOp, int interOp) {
    return new RuntimeOptions(
        intraOp, interOp, optimization, optimizedModelCache, memoryArena, parallelExecution);
  }

  /** These options with another optimisation level. */
  public RuntimeOptions withOptimization(Optimization level) {
    return new RuntimeOptions(
        intraOpThreads, interOpThreads, level, optimizedModelCache, memoryArena, parallelExecution);
  }

  /** These options writing the optimised graph to {@code file}. */
  public RuntimeOptions withOptimizedModelCache(Path file) {
    return new RuntimeOptions(
        intraOpThreads, interOpThreads, optimization, file, memoryArena, parallelExecution);
  }

  /** These options with the CPU memory arena on or off. */
  public RuntimeOptions withMemoryArena(boolean on) {
    return new RuntimeOptions(
        intraOpThreads, interOpThreads, optimization, optimizedModelCache, on, parallelExecution);
  }

  /** These options with parallel or sequential execution. */
  public RuntimeOptions withParallelExecution(boolean on) {
    return new RuntimeOptions(
        intraOpThreads, interOpThreads, optimization, optimizedModelCache, memoryArena, on);
  }

  /** Applies these settings to ONNX Runtime session options. */
  void applyTo(OrtSession.SessionOptions options) throws OrtException {
    if (intraOpThreads > 0) {
      options.setIntraOpNumThreads(intraOpThreads);
    }
    if (interOpThreads > 0) {
      options.setInterOpNumThreads(interOpThreads);
    }
    options.setOptimizationLevel(optimization.level);
    if (optimizedModelCache != null) {
      options.setOptimizedModelFilePath(optimizedModelCache.toString());
    }
    options.setCPUArenaAllocator(memoryArena);
    options.setExecutionMode(
        parallelExecution
            ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
            : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
  }
}
