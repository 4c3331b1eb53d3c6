#!/usr/bin/env bash
# Decoding throughput of MeterBus against pyMeterBus 0.8.5 on the same frames.
#
#   Benchmarks/mbus-decode.sh [FOLDER] [--seconds N]
#
# FOLDER holds .hex frames (default: the 76 libmbus test frames). Only the frames pyMeterBus decodes
# are timed, for both decoders (they are linked into a temporary folder), so that neither is charged
# for frames the other refuses; the frames left out are listed. Each decoder then decodes its corpus
# round-robin for N seconds (default 3) after 0.5 s of warm-up, and a table gives frames/s, MB/s
# (10^6 bytes) and the ratio MeterBus / pyMeterBus. Not a test: figures depend on the machine.
#
# Builds Benchmarks/MeterBusDecode in release mode (`swift build -c release --product meterproof-bench`;
# METERPROOF_SCRATCH_PATH selects the build folder, as for scripts/test). Needs python3 with pyMeterBus
# (scripts/setup); without it only MeterBus is measured.
set -euo pipefail

cd "$(dirname "$0")/.."

FOLDER=Tests/MeterBusTests/Fixtures/libmbus/test-frames
SECONDS_PER_RUN=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) FOLDER="$1"; shift ;;
    esac
done
[[ -d "$FOLDER" ]] || { echo "mbus-decode: no folder $FOLDER" >&2; exit 2; }

SCRATCH=()
if [[ -n "${METERPROOF_SCRATCH_PATH:-}" ]]; then
    SCRATCH=(--scratch-path "${METERPROOF_SCRATCH_PATH}")
fi
echo "== mbus-decode: swift build -c release --product meterproof-bench"
swift build "${SCRATCH[@]}" -c release --product meterproof-bench >&2
BENCH="$(swift build "${SCRATCH[@]}" -c release --show-bin-path)/meterproof-bench"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
CORPUS="$WORK/frames"
mkdir -p "$CORPUS"

HAVE_PEER=0
if python3 -c 'import meterbus' 2>/dev/null; then
    HAVE_PEER=1
    # The frames pyMeterBus decodes: link them into the corpus both decoders time.
    python3 scripts/peers/pymeterbus_decode.py "$FOLDER"/*.hex > "$WORK/peer.jsonl"
    python3 - "$WORK/peer.jsonl" "$FOLDER" "$CORPUS" <<'PY'
import json, os, sys
lines, folder, corpus = sys.argv[1:4]
left_out = []
for line in open(lines):
    d = json.loads(line)
    if d["ok"]:
        os.symlink(os.path.abspath(os.path.join(folder, d["name"] + ".hex")),
                   os.path.join(corpus, d["name"] + ".hex"))
    else:
        left_out.append(f'{d["name"]} ({d["error"]})')
print(f"== mbus-decode: {len(left_out)} frame(s) pyMeterBus refuses are left out for both decoders:")
for x in left_out:
    print("   " + x)
PY
else
    echo "== mbus-decode: python3 cannot import meterbus (run scripts/setup): timing MeterBus alone, on every frame"
    for f in "$FOLDER"/*.hex; do ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$CORPUS/"; done
fi

echo "== mbus-decode: MeterBus, ${SECONDS_PER_RUN}s"
"$BENCH" --seconds "$SECONDS_PER_RUN" "$CORPUS" | tee "$WORK/ours.json"
if [[ $HAVE_PEER == 1 ]]; then
    echo "== mbus-decode: pyMeterBus, ${SECONDS_PER_RUN}s"
    python3 scripts/peers/pymeterbus_bench.py "$CORPUS" --seconds "$SECONDS_PER_RUN" | tee "$WORK/peer.json"
else
    : > "$WORK/peer.json"
fi

python3 - "$WORK/ours.json" "$WORK/peer.json" <<'PY'
import json, sys
ours = json.loads(open(sys.argv[1]).read())
text = open(sys.argv[2]).read().strip()
peer = json.loads(text) if text else None
rows = [("MeterBus", ours)] + ([("pyMeterBus " + str(peer.get("version")), peer)] if peer else [])
print()
print(f'{"decoder":<18} {"frames":>7} {"rejected":>8} {"frames/s":>12} {"MB/s":>10}')
for name, r in rows:
    rejected = r["rejected"] if isinstance(r["rejected"], int) else len(r["rejected"])
    print(f'{name:<18} {r["distinct_frames"]:>7} {rejected:>8} {r["frames_per_s"]:>12,.0f} {r["mb_per_s"]:>10.3f}')
if peer:
    print(f'{"ratio MeterBus/pyMeterBus":<37} {ours["frames_per_s"] / peer["frames_per_s"]:>12.1f}x {ours["mb_per_s"] / peer["mb_per_s"]:>9.1f}x')
PY
