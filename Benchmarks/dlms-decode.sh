#!/usr/bin/env bash
# DLMS throughput of MeterProof against Gurux.DLMS.Python (gurux_dlms) on the same input.
#
#   Benchmarks/dlms-decode.sh [--seconds N] [--keep FILE]
#
# Builds the input from Tests/DLMSTests/Fixtures: every APDU of the xdlms/ and acse/ vectors (cut
# from its framing by the fixture's apdu_offset/apdu_length; the vectors meant to fail are left
# out), every HDLC frame of hdlc/u9n_hdlc_frames.txt, hdlc/gurux_loopback_exchanges.txt and the
# acse/ vectors given as whole frames, and
# one 2048-byte GET-response APDU (C4 01 C1 00 09 82 07 F8 + 2040 octets) for the segmentation
# workload; duplicates are dropped. Only the inputs both MeterProof and Gurux accept are timed
# (each is asked with --accepted; the counts left out are printed), so neither is charged for
# inputs the other refuses. Three workloads (see Benchmarks/DLMSDecode/main.swift and
# scripts/peers/gurux_bench.py for what each does per item): apdu_decode, hdlc_parse, hdlc_segment.
# Each runs for N seconds (default 3) after 0.5 s of warm-up, for both; a table gives items/s, MB/s
# (10^6 bytes) and the ratio MeterProof / Gurux. Not a test: figures depend on the machine.
# --keep FILE also writes the input that was timed to FILE.
#
# Builds Benchmarks/DLMSDecode in release mode (`swift build -c release --product meterproof-dlms-bench`;
# METERPROOF_SCRATCH_PATH selects the build folder, as for scripts/test). Needs python3 with
# gurux_dlms (scripts/setup); without it only MeterProof is measured.
set -euo pipefail

cd "$(dirname "$0")/.."

SECONDS_PER_RUN=3
KEEP=
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) SECONDS_PER_RUN="$2"; shift 2 ;;
        --keep) KEEP="$2"; shift 2 ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) echo "dlms-decode: unknown argument $1" >&2; exit 2 ;;
    esac
done

SCRATCH=()
if [[ -n "${METERPROOF_SCRATCH_PATH:-}" ]]; then
    SCRATCH=(--scratch-path "${METERPROOF_SCRATCH_PATH}")
fi
echo "== dlms-decode: swift build -c release --product meterproof-dlms-bench"
swift build "${SCRATCH[@]}" -c release --product meterproof-dlms-bench >&2
BENCH="$(swift build "${SCRATCH[@]}" -c release --show-bin-path)/meterproof-dlms-bench"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - Tests/DLMSTests/Fixtures "$WORK/all.txt" <<'PY'
import json, os, sys
fixtures, out = sys.argv[1:3]
lines = []

def add(kind, data):
    line = f"{kind} {data.hex().upper()}"
    if line not in seen:
        seen.add(line)
        lines.append(line)

seen = set()
def load(path):
    with open(os.path.join(fixtures, path)) as f:
        return json.load(f)

def cut(hextext, offset, length):
    data = bytes.fromhex(hextext)
    offset = offset or 0
    return data[offset:offset + length] if length is not None else data[offset:]

for v in load("xdlms/gurux_xdlms_apdus.json")["apdus"]:
    add("apdu", bytes.fromhex(v["apdu"]))
for v in load("acse/gurux_acse_exchanges.json")["exchanges"]:
    if "error" not in v["expected"]:  # the malformed Gurux RLRE and HLS AARE are meant to fail
        add("apdu", bytes.fromhex(v["apdu"]))
for v in load("xdlms/u9n_xdlms_vectors.json")["vectors"]:
    if "error" in v or "not" in v:
        continue  # vectors meant to fail
    add("apdu", cut(v["hex"], v.get("apdu_offset"), v.get("apdu_length")))
for v in load("acse/u9n_acse_vectors.json")["vectors"]:
    if v["framing"] == "hdlc_frame":
        add("hdlc", bytes.fromhex(v["hex"]))  # whole frames (no apdu_offset): HDLC inputs
    else:
        add("apdu", cut(v["hex"], v.get("apdu_offset"), None))
with open(os.path.join(fixtures, "hdlc/u9n_hdlc_frames.txt")) as f:
    for line in f:
        if line.startswith("#") or not line.strip():
            continue
        hextext = line.rstrip("\n").split("\t")[3]
        if hextext.startswith("7EA"):
            add("hdlc", bytes.fromhex(hextext))
with open(os.path.join(fixtures, "hdlc/gurux_loopback_exchanges.txt")) as f:
    for line in f:
        if line[:3] in ("TX ", "RX ") and line[3:5] == "7E":
            add("hdlc", bytes.fromhex(line[3:]))
# A 2048-byte GET-response (normal, invoke-id C1, data: octet-string of 2040 bytes).
add("segment", bytes.fromhex("C401C1000982 07F8".replace(" ", "")) + bytes((i * 7 + 1) % 251 for i in range(2040)))
with open(out, "w") as f:
    f.write("\n".join(lines) + "\n")
counts = {}
for l in lines:
    counts[l.split()[0]] = counts.get(l.split()[0], 0) + 1
print("== dlms-decode: input from the fixtures: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
PY

summarise_left_out() {  # $1 before, $2 after, $3 who
    python3 - "$1" "$2" "$3" <<'PY'
import sys
before = open(sys.argv[1]).read().split("\n")
after = set(open(sys.argv[2]).read().split("\n"))
gone = {}
for l in before:
    if l and l not in after:
        gone[l.split()[0]] = gone.get(l.split()[0], 0) + 1
print(f"== dlms-decode: left out for both, refused by {sys.argv[3]}: " + (", ".join(f"{n} {k}" for k, n in gone.items()) or "none"))
PY
}

HAVE_PEER=0
"$BENCH" --accepted "$WORK/all.txt" > "$WORK/ours-ok.txt"
summarise_left_out "$WORK/all.txt" "$WORK/ours-ok.txt" MeterProof
if python3 -c 'import gurux_dlms' 2>/dev/null; then
    HAVE_PEER=1
    python3 scripts/peers/gurux_bench.py --accepted "$WORK/ours-ok.txt" > "$WORK/input.txt"
    summarise_left_out "$WORK/ours-ok.txt" "$WORK/input.txt" Gurux
else
    echo "== dlms-decode: python3 cannot import gurux_dlms (run scripts/setup): timing MeterProof alone"
    cp "$WORK/ours-ok.txt" "$WORK/input.txt"
fi
[[ -z "$KEEP" ]] || cp "$WORK/input.txt" "$KEEP"

echo "== dlms-decode: MeterProof, ${SECONDS_PER_RUN}s per workload"
"$BENCH" --seconds "$SECONDS_PER_RUN" "$WORK/input.txt" | tee "$WORK/ours.json"
if [[ $HAVE_PEER == 1 ]]; then
    echo "== dlms-decode: Gurux, ${SECONDS_PER_RUN}s per workload"
    python3 scripts/peers/gurux_bench.py "$WORK/input.txt" --seconds "$SECONDS_PER_RUN" | tee "$WORK/peer.json"
else
    : > "$WORK/peer.json"
fi

python3 - "$WORK/ours.json" "$WORK/peer.json" <<'PY'
import json, sys
ours = json.loads(open(sys.argv[1]).read())
text = open(sys.argv[2]).read().strip()
peer = json.loads(text) if text else None
print()
print(f'{"workload":<13} {"decoder":<18} {"inputs":>6} {"bytes":>7} {"items/s":>12} {"MB/s":>9}')
for w in ("apdu_decode", "hdlc_parse", "hdlc_segment"):
    rows = [("MeterProof", ours["workloads"][w])]
    if peer:
        rows.append((f'Gurux {peer["version"]}', peer["workloads"][w]))
    for name, r in rows:
        print(f'{w:<13} {name:<18} {r["distinct_items"]:>6} {r["distinct_bytes"]:>7} {r["items_per_s"]:>12,.0f} {r["mb_per_s"]:>9.3f}')
    if peer:
        a, b = rows[0][1], rows[1][1]
        print(f'{w:<13} {"ratio MP/Gurux":<18} {"":>6} {"":>7} {a["items_per_s"] / b["items_per_s"]:>11.1f}x {a["mb_per_s"] / b["mb_per_s"]:>8.1f}x')
PY
