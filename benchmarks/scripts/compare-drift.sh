#!/usr/bin/env bash
# airgap's drift profiling and comparison against the numpy/scipy equivalent, same data, one run.
# Usage: benchmarks/scripts/compare-drift.sh [DATA_DIR] [FEATURES] [ROWS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$root/benchmarks/target/drift-data}
features=${2:-20}
rows=${3:-1000000}
jar=$root/benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
java -Xmx4g -cp "$jar" io.airgap.benchmarks.DriftComparison "$data" "$features" "$rows" 2>/dev/null | tee /tmp/airgap-drift.txt
python3 "$root/benchmarks/scripts/drift_scipy.py" "$data" "$features" "$rows" | tee /tmp/scipy-drift.txt
a=$(awk '{print $2}' /tmp/airgap-drift.txt)
s=$(awk '{print $2}' /tmp/scipy-drift.txt)
echo "speed-up: $(echo "scale=1; $s / $a" | bc -l)x"
