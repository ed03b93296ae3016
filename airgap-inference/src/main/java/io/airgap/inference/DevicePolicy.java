package io.airgap.inference;

/**
 * Where a model may run. {@link #cpu()} never touches a GPU; {@link #preferGpu()} uses CUDA when it
 * really starts (the provider is created, not just listed) and falls back to the CPU otherwise,
 * logging why once; {@link #requireGpu()} refuses to load without CUDA and forbids ONNX Runtime
 * from placing any node on the CPU ({@code session.disable_cpu_ep_fallback=1}), so no part of the
 * model runs there unnoticed. Immutable.
 *
 * @param mode which devices are allowed
 * @param cudaDevice the CUDA device id
 * @param gpuMemoryLimit the CUDA arena's limit in bytes, or 0 for ONNX Runtime's default
 * @param tensorRt whether TensorRT is tried before CUDA
 */
public record DevicePolicy(Mode mode, int cudaDevice, long gpuMemoryLimit, boolean tensorRt) {
  /** Which devices a model may run on. */
  public enum Mode {
    /** The CPU only. */
    CPU,
    /** CUDA when it starts, else the CPU. */
    PREFER_GPU,
    /** CUDA or nothing, with no node on the CPU. */
    REQUIRE_GPU
  }

  /** Checks the device id and limit. */
  public DevicePolicy {
    if (mode == null) {
      throw new IllegalArgumentException("mode is required");
    }
    if (cudaDevice < 0) {
      throw new IllegalArgumentException("CUDA device id must be 0 or more, not " + cudaDevice);
    }
    if (gpuMemoryLimit < 0) {
      throw new IllegalArgumentException("GPU memory limit must be 0 (default) or more");
    }
    if (mode == Mode.CPU && tensorRt) {
      throw new IllegalArgumentException("TensorRT needs a GPU policy, not cpu()");
    }
  }

  /** The CPU only. */
  public static DevicePolicy cpu() {
    return new DevicePolicy(Mode.CPU, 0, 0, false);
  }

  /** CUDA device 0 when it starts, else the CPU. */
  public static DevicePolicy preferGpu() {
    return new DevicePolicy(Mode.PREFER_GPU, 0, 0, false);
  }

  /** CUDA device 0, every node on it, or refuse to load. */
  public static DevicePolicy requireGpu() {
    return new DevicePolicy(Mode.REQUIRE_GPU, 0, 0, false);
  }

  /** This policy on another CUDA device. */
  public DevicePolicy onDevice(int id) {
    return new DevicePolicy(mode, id, gpuMemoryLimit, tensorRt);
  }

  /** This policy with the CUDA memory arena limited to {@code bytes}. */
  public DevicePolicy withGpuMemoryLimit(long bytes) {
    return new DevicePolicy(mode, cudaDevice, bytes, tensorRt);
  }

  /** This policy trying TensorRT before CUDA. */
  public DevicePolicy withTensorRt() {
    return new DevicePolicy(mode, cudaDevice, gpuMemoryLimit, true);
  }

  /** Whether a GPU is to be tried. */
  public boolean wantsGpu() {
    return mode != Mode.CPU;
  }
}
