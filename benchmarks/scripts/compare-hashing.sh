#!/usr/bin/env bash
# Side-by-side hashing throughput: airgap verify (files and shards), openssl dgst -sha256,
# sha256sum, and a Python hashlib thread pool (how model_signing hashes), over the same files
# from the page cache, in one script on one machine. Writes a table with GB/s and ratios.
#
# Usage: benchmarks/scripts/compare-hashing.sh [DATA_DIR] [ROUNDS]
# Needs: a built tree (mvn -q package -DskipTests), openssl, coreutils, python3, ~9 GiB of disk
# and enough free memory to keep 8 GiB in the page cache.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-$root/benchmarks/target/hash-data}
rounds=${2:-3}
jar=$root/benchmarks/target/benchmarks.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }

directory=$data/model-8-files
single=$data/single/model.bin
mkdir -p "$directory" "$(dirname "$single")"
for i in 1 2 3 4 5 6 7 8; do
  f=$directory/part-$i.bin
  size=$((512 * 1024 * 1024))
  if [ "$(stat -c %s "$f" 2>/dev/null || echo 0)" -ne "$size" ]; then
    # Incompressible, reproducible bytes; openssl stops on SIGPIPE when head has enough.
    openssl enc -aes-128-ctr -pass pass:airgap-bench-$i -nosalt -pbkdf2 -in /dev/zero \
      2>/dev/null | head -c "$size" > "$f" || true
    [ "$(stat -c %s "$f")" -eq "$size" ] || { echo "could not write $f" >&2; exit 1; }
  fi
done
[ -s "$single" ] || cat "$directory"/part-*.bin > "$single"
dir_files=("$directory"/part-*.bin)
dir_bytes=$(cat "${dir_files[@]}" | wc -c)
single_bytes=$(stat -c %s "$single")
cat "${dir_files[@]}" "$single" > /dev/null   # into the page cache

best_of() {  # best wall time of a command over $rounds runs, after one warm-up
  local best= t0 t1 t
  "$@" > /dev/null
  for _ in $(seq "$rounds"); do
    t0=$(date +%s.%N); "$@" > /dev/null; t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
  done
  echo "$best"
}

results=$(mktemp)
echo "openssl-directory $dir_bytes $(best_of openssl dgst -sha256 "${dir_files[@]}")" >> "$results"
echo "openssl-single $single_bytes $(best_of openssl dgst -sha256 "$single")" >> "$results"
echo "sha256sum-directory $dir_bytes $(best_of sha256sum "${dir_files[@]}")" >> "$results"
echo "sha256sum-single $single_bytes $(best_of sha256sum "$single")" >> "$results"
python3 "$root/benchmarks/scripts/hashlib_pool.py" "$rounds" "${dir_files[@]}" \
  | sed 's/^python-hashlib-pool/python-pool-directory/' >> "$results"
python3 "$root/benchmarks/scripts/hashlib_pool.py" "$rounds" "$single" \
  | sed 's/^python-hashlib-pool/python-pool-single/' >> "$results"
java -Xmx64m -XX:+UseSerialGC -cp "$jar" io.airgap.benchmarks.VerifyThroughput \
  "$directory" "$single" "$rounds" | tee -a "$results" >&2

gbps() { awk -v n="$1" '$1 == n { printf "%.3f", $2 / $3 / 1e9 }' "$results"; }
printf '%-30s %10s\n' tool GB/s
for name in airgap-verify-directory openssl-directory sha256sum-directory python-pool-directory \
            airgap-verify-single-shards openssl-single sha256sum-single python-pool-single \
            jdk-sha256-one-thread; do
  printf '%-30s %10s\n' "$name" "$(gbps "$name")"
done
ratio() { echo "scale=2; $(gbps "$1") / $(gbps "$2")" | bc -l; }
threads=$(awk '$1 == "threads" { print $2 }' "$results")
echo
echo "airgap directory / openssl:        $(ratio airgap-verify-directory openssl-directory)x"
echo "airgap single (shards) / openssl:  $(ratio airgap-verify-single-shards openssl-single)x"
echo "airgap directory / python pool:    $(ratio airgap-verify-directory python-pool-directory)x"
echo "airgap single / python pool:       $(ratio airgap-verify-single-shards python-pool-single)x"
echo "per-core efficiency vs JDK 1-thread (directory): $(echo "scale=2; $(gbps airgap-verify-directory) / ($threads * $(gbps jdk-sha256-one-thread))" | bc -l)"
echo "per-core efficiency vs JDK 1-thread (single):    $(echo "scale=2; $(gbps airgap-verify-single-shards) / ($threads * $(gbps jdk-sha256-one-thread))" | bc -l)"
rm -f "$results"
