#!/usr/bin/env bash
# The GPU check of the inference module: build against ONNX Runtime's GPU artifact (-Pgpu), then
# load MiniLM verified with the GPU required (no CPU fallback), confirm CUDA runs it, compare its
# outputs with the CPU's within 1e-3, and time batch 1, 32 and 128 on both. Needs an NVIDIA GPU,
# its driver, and the CUDA 12 and cuDNN 9 libraries ONNX Runtime 1.24 is built against on the
# library path; Maven must reach a repository holding onnxruntime_gpu. Exit 0 when it passes.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
mvn -q -Pgpu -pl benchmarks -am package -DskipTests
java -DDJL_CACHE_DIR="$work/djl" -Dai.djl.offline=true \
  -cp benchmarks/target/benchmarks.jar io.airgap.benchmarks.GpuCheck "$work"
