#!/usr/bin/env bash
# Verification throughput of two builds side by side: runs VerifyThroughput from each benchmarks
# jar in turn (old, new, old, new, ...) over the same files from the page cache, and prints the
# best of each with the new/old ratio. For checking that a change left hashing and verification
# speed as it was.
#
# Usage: benchmarks/scripts/compare-verify-builds.sh OLD_JAR NEW_JAR DIRECTORY_MODEL SINGLE_FILE [PAIRS]
# The jars are benchmarks/target/benchmarks.jar of the two builds (mvn -q package -DskipTests).
set -euo pipefail
old=$1 new=$2 directory=$3 single=$4 pairs=${5:-3}
cat "$directory"/* "$single" > /dev/null   # into the page cache

results=$(mktemp)
for _ in $(seq "$pairs"); do
  for build in old new; do
    jar=$old; [ "$build" = new ] && jar=$new
    java -Xmx256m -XX:+UseSerialGC -cp "$jar" io.airgap.benchmarks.VerifyThroughput \
      "$directory" "$single" 1 2>&1 | sed "s/^/$build /" >> "$results"
  done
done
best() {  # highest GB/s of one measurement of one build
  awk -v b="$1" -v n="$2" '$1 == b && $2 == n { g = $3 / $4 / 1e9; if (g > best) best = g }
    END { printf "%.3f", best }' "$results"
}
printf '%-30s %8s %8s %8s\n' measurement old new new/old
for name in airgap-verify-directory airgap-verify-single-shards jdk-sha256-one-thread; do
  o=$(best old "$name") n=$(best new "$name")
  printf '%-30s %8s %8s %8.2f\n' "$name" "$o" "$n" "$(echo "$n / $o" | bc -l)"
done
rm -f "$results"
