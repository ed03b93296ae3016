#!/usr/bin/env bash
# The quickstart: in a fresh temporary workspace, generate a key, sign a small model, verify it,
# tamper with it and watch verification fail, using only the airgap command and its defaults.
# Run it after building: mvn -q package -DskipTests && ./quickstart.sh
set -euo pipefail

root=$(cd "$(dirname "$0")" && pwd)
jar=$root/airgap-cli/target/airgap.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
airgap() { java -jar "$jar" "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/airgap-quickstart.XXXXXX")
model=$work/model
mkdir -p "$model/weights"
printf '{"architecture": "mlp", "layers": 2}\n' > "$model/config.json"
head -c 3000000 /dev/urandom > "$model/weights/layer-0.bin"
head -c 1500000 /dev/urandom > "$model/weights/layer-1.bin"

echo "== 1. generate an ECDSA P-256 signing key"
airgap key generate --type ecdsa-p256 --out "$work/signer"

echo "== 2. sign the model (OMS v1.0, files method, SHA-256)"
airgap sign key "$model" --private-key "$work/signer.pem"

echo "== 3. verify it with the public key"
airgap verify key "$model" --public-key "$work/signer.pub.pem" --json > "$work/report.json"
echo "   report: $work/report.json"

echo "== 4. the root digest a deployment can pin"
airgap digest "$model"

echo "== 5. tamper with one byte and verify again (must fail with exit code 1)"
printf 'X' | dd of="$model/weights/layer-1.bin" bs=1 seek=1000 conv=notrunc status=none
set +e
airgap verify key "$model" --public-key "$work/signer.pub.pem"
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "expected exit code 1 for a tampered model, got $code" >&2
  exit 1
fi

echo
echo "quickstart passed: signed, verified, and caught the tampered file."
echo "evidence in $work: signer.pem (private key, mode 600), signer.pub.pem,"
echo "  model/model.sig (the OMS signature), report.json (the verification report)"
