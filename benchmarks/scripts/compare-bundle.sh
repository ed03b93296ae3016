#!/usr/bin/env bash
# Bundle create and import against tar and openssl on the same model, in one script.
# Usage: compare-bundle.sh WORK_DIR [FILES] [MIB_PER_FILE]   (default 8 files of 512 MiB = 4 GiB)
# Builds nothing: run `mvn -q package -DskipTests` first. Needs openssl, tar and about 24 GiB free.
set -euo pipefail
cd "$(dirname "$0")/../.."
work="$1"; files="${2:-8}"; mib="${3:-512}"
jar="$PWD/airgap-cli/target/airgap.jar"
java=(java -Xmx64m -jar "$jar")
mkdir -p "$work/mirror/model"
if [ ! -f "$work/mirror/model/part$((files - 1)).bin" ]; then
  for i in $(seq 0 $((files - 1))); do
    { openssl enc -aes-128-ctr -pass pass:"$i" -nosalt -pbkdf2 </dev/zero 2>/dev/null || true; } | head -c "$((mib << 20))" >"$work/mirror/model/part$i.bin"
  done
fi
printf '{"schemaVersion": 1, "artifacts": [{"name": "model", "kind": "model", "source": {"type": "directory", "path": "model"}}]}' >"$work/deps.json"
[ -f "$work/k.pem" ] || "${java[@]}" key generate --out "$work/k" 2>/dev/null
rm -rf "$work/files" "$work/airgap.lock.json"
"${java[@]}" deps lock --spec "$work/deps.json" --out "$work/airgap.lock.json" --source "directory=$work/mirror" --files "$work/files" 2>/dev/null

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N); echo "$end - $start" | bc; }
best() { local best=999999 t; for _ in 1 2 3; do t=$(seconds "$@"); best=$(echo "if ($t < $best) $t else $best" | bc); done; echo "$best"; }
create() { rm -f "$work/b.tar"; "${java[@]}" bundle create --lock "$work/airgap.lock.json" --files "$work/files" --out "$work/b.tar" --private-key "$work/k.pem"; }
tar_create() { tar cf - -C "$work/files" model | openssl dgst -sha256; }
tar_write() { rm -f "$work/t.tar"; tar cf "$work/t.tar" -C "$work/files" model && openssl dgst -sha256 "$work/t.tar"; }
import() { rm -rf "$work/store"; "${java[@]}" bundle import "$work/b.tar" --store "$work/store" --public-key "$work/k.pub.pem"; }
tar_import() { rm -rf "$work/x"; mkdir -p "$work/x"; tar xf "$work/b.tar" -C "$work/x" && find "$work/x/blobs" -type f -print0 | xargs -0 openssl dgst -sha256; }

c=$(best create); tc=$(best tar_create); tw=$(best tar_write)
i=$(best import); ti=$(best tar_import)
echo "bundle create $c s, tar | openssl $tc s, speed-up $(echo "scale=2; $tc / $c" | bc)x"
echo "bundle create $c s, tar cf FILE + openssl FILE (also writes a bundle) $tw s, speed-up $(echo "scale=2; $tw / $c" | bc)x"
echo "bundle import $i s, tar xf + openssl $ti s, speed-up $(echo "scale=2; $ti / $i" | bc)x"
