#!/usr/bin/env bash
# The quickstart: the whole airgap chain on embedded defaults, in a fresh temporary workspace
# (or the directory given): keys, a signed model, a lock and a signed bundle with ONNX Runtime's
# native libraries, verify and import on the isolated side, offline resolution, a verified load
# (GPU when present, else CPU), a batch of predictions, drift caught on shifted inputs, and an
# audit log of every step, verified, with an inclusion proof exported. Exits 0 when all held.
# Run it after building: mvn -q package -DskipTests && ./quickstart.sh [WORKSPACE]
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
jar=$root/samples/target/airgap-samples.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
exec java -jar "$jar" "$@"
