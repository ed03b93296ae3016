#!/usr/bin/env bash
# The command-line walkthrough: in a fresh temporary workspace, generate a key, sign a small model,
# verify it, record each step in a tamper-evident audit log, tamper with the model and watch
# verification fail, then verify the log and export a proof of one entry, using only the airgap
# command. Run it after building: mvn -q package -DskipTests && samples/scripts/cli-walkthrough.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/airgap-cli/target/airgap.jar
[ -f "$jar" ] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
airgap() { java -jar "$jar" "$@"; }

work=$(mktemp -d "${TMPDIR:-/tmp}/airgap-walkthrough.XXXXXX")
model=$work/model
mkdir -p "$model/weights"
printf '{"architecture": "mlp", "layers": 2}\n' > "$model/config.json"
head -c 3000000 /dev/urandom > "$model/weights/layer-0.bin"
head -c 1500000 /dev/urandom > "$model/weights/layer-1.bin"

echo "== 1. generate an ECDSA P-256 signing key and an audit log with its Ed25519 key"
airgap key generate --type ecdsa-p256 --out "$work/signer"
airgap audit init "$work/audit" --origin walkthrough.airgap.local/audit --key "$work/audit" > /dev/null
audit() { airgap audit append "$work/audit" --key "$work/audit.key" --actor walkthrough "$@" > /dev/null; }

echo "== 2. sign the model (OMS v1.0, files method, SHA-256)"
airgap sign key "$model" --private-key "$work/signer.pem"
audit --action model.sign --subject "$(airgap digest "$model")"

echo "== 3. verify it with the public key"
airgap verify key "$model" --public-key "$work/signer.pub.pem" --json > "$work/report.json"
echo "   report: $work/report.json"
audit --action model.verify --subject "$(airgap digest "$model")" --attr result=verified

echo "== 4. the root digest a deployment can pin"
airgap digest "$model"

echo "== 5. tamper with one byte and verify again (must fail with exit code 1)"
# Flip every bit of byte 1000 (writing a fixed byte would change nothing when it is already there).
byte=$(dd if="$model/weights/layer-1.bin" bs=1 skip=1000 count=1 status=none | od -An -tu1 | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 255)))" | dd of="$model/weights/layer-1.bin" bs=1 seek=1000 conv=notrunc status=none
set +e
airgap verify key "$model" --public-key "$work/signer.pub.pem"
code=$?
set -e
if [ "$code" -ne 1 ]; then
  echo "expected exit code 1 for a tampered model, got $code" >&2
  exit 1
fi
audit --action model.verify --subject "$(airgap digest "$model")" --outcome refused

echo "== 6. verify the audit log and prove its first entry for an auditor"
airgap audit verify "$work/audit" --verifier-key "$work/audit.vkey"
airgap audit prove "$work/audit" --index 0 --out "$work/entry-0.tlog-proof" --verifier-key "$work/audit.vkey"
airgap audit verify-proof "$work/entry-0.tlog-proof" --verifier-key "$work/audit.vkey" \
  --entry "$work/entry-0.tlog-proof.entry"

echo
echo "walkthrough passed: signed, verified, caught the tampered file, and kept a verifiable record."
echo "evidence in $work: signer.pem (private key, mode 600), signer.pub.pem,"
echo "  model/model.sig (the OMS signature), report.json (the verification report),"
echo "  audit/ (the audit log; verifier key audit.vkey), entry-0.tlog-proof (+ .entry)"
