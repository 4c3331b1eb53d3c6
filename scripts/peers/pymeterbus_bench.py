#!/usr/bin/env python3
"""Throughput of pyMeterBus (PyPI `pymeterbus` 0.8.5) on a folder of hex frames.

Usage: pymeterbus_bench.py FRAMES_DIR [--seconds N] [--warmup S]

Reads every *.hex in FRAMES_DIR (not recursive), keeps the frames pyMeterBus decodes, then decodes
them round-robin for about N seconds (default 5). "Decoding" means meterbus.load(...) and then
touching every record's value, unit and type, because pyMeterBus parses records lazily: load()
alone does not compute values. Frames pyMeterBus rejects are left out of the loop (their count is
reported as "rejected"), so the figure is the cost of successful decodes.

Prints one JSON line:
    {"peer": "pymeterbus", "version", "frames", "bytes", "seconds", "frames_per_s", "mb_per_s",
     "distinct_frames", "rejected"}
where frames and bytes count the decodes done (and their total size) in `seconds` of wall time;
mb_per_s uses 1 MB = 10^6 bytes.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys
import time

import meterbus


def parse_hex(text: str) -> bytes:
    for sep in (":", "-", ","):
        text = text.replace(sep, " ")
    return bytes.fromhex("".join(text.split()))


def decode_fully(data: bytes) -> int:
    frame = meterbus.load(data)
    n = 0
    for rec in getattr(frame, "records", []):
        rec.value
        rec.unit
        rec._parse_vifx()
        rec.dib.parse_dife()
        n += 1
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("frames_dir")
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--warmup", type=float, default=0.5, help="seconds of untimed decoding first")
    args = ap.parse_args()

    frames: list[bytes] = []
    rejected = 0
    for path in sorted(glob.glob(os.path.join(args.frames_dir, "*.hex"))):
        with open(path, "rb") as f:
            try:
                data = parse_hex(f.read().decode("ascii"))
                decode_fully(data)
            except Exception:
                rejected += 1
                continue
        frames.append(data)
    if not frames:
        print(json.dumps({"peer": "pymeterbus", "error": f"no decodable frames in {args.frames_dir}",
                          "rejected": rejected}))
        return 1

    end = time.perf_counter() + args.warmup
    while time.perf_counter() < end:
        for data in frames:
            decode_fully(data)

    count = 0
    total = 0
    start = time.perf_counter()
    deadline = start + args.seconds
    now = start
    while now < deadline:
        for data in frames:
            decode_fully(data)
            total += len(data)
        count += len(frames)
        now = time.perf_counter()
    elapsed = now - start

    print(json.dumps({
        "peer": "pymeterbus",
        "version": getattr(meterbus, "__version__", None),
        "frames": count,
        "bytes": total,
        "seconds": round(elapsed, 6),
        "frames_per_s": round(count / elapsed, 1),
        "mb_per_s": round(total / elapsed / 1e6, 6),
        "distinct_frames": len(frames),
        "rejected": rejected,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
