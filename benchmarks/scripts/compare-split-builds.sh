#!/usr/bin/env bash
# bundle create --split-size of two builds side by side: the same directory model is locked once,
# then each build's CLI jar bundles and splits it in turn (old, new, old, new, ...). Prints every
# wall time; compare the best of each.
#
# Usage: benchmarks/scripts/compare-split-builds.sh OLD_CLI_JAR NEW_CLI_JAR MODEL_DIR [PAIRS] [PART_BYTES]
# The jars are airgap-cli/target/airgap.jar of the two builds (mvn -q package -DskipTests).
set -euo pipefail
old=$(realpath "$1") new=$(realpath "$2") model=$(realpath "$3") pairs=${4:-3} part=${5:-300000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
java -jar "$new" key generate --type ecdsa-p256 --out key 2> /dev/null
printf '{"schemaVersion": 1, "artifacts": [{"name": "m", "kind": "model", "source": {"type": "directory", "path": "%s"}}]}' "$(basename "$model")" > spec.json
java -jar "$new" deps lock --spec spec.json --source directory="$(dirname "$model")" --out lock.json 2> /dev/null
for _ in $(seq "$pairs"); do
  for build in old new; do
    jar=$old; [ "$build" = new ] && jar=$new
    rm -rf out && mkdir out && sync
    t0=$(date +%s.%N)
    java -jar "$jar" bundle create --lock lock.json --files airgap-deps-files --private-key key.pem \
      --out out/bundle.tar --split-size "$part" 2> /dev/null
    t1=$(date +%s.%N)
    echo "$build $(echo "$t1 - $t0" | bc -l)"
  done
done
