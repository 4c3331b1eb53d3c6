#!/usr/bin/env python3
"""Throughput of Gurux.DLMS.Python (PyPI `gurux_dlms`) on the input of meterproof-dlms-bench.

Usage: gurux_bench.py FILE [--seconds N] [--warmup S] [--accepted]

FILE has one input a line, `KIND HEX` (`apdu`, `hdlc` or `segment`; `#` lines and blank lines are
skipped), as for Benchmarks/DLMSDecode. Every input is run once first; inputs Gurux fails on are
left out of the loop and counted as "rejected". `--accepted` prints the accepted lines and exits.

What each workload does per item (the closest equivalents gurux_dlms 1.0.x offers; read from its
source, GXDLMSTranslator.py and GXDLMS.py):

  apdu_decode   GXDLMSTranslator().pduToXml(bytes): the translator's full decoding of an ACSE or
                xDLMS APDU. It is the only complete, context-free APDU decoder in the package (the
                client's GXDLMS.getPdu needs a request state), and it also writes the result as XML,
                which MeterProof's decodeAPDU does not do: Gurux is charged for the text as well.
                One translator is reused for all items (it creates fresh GXDLMSSettings per call).
  hdlc_parse    GXDLMS.getHdlcData(True, settings, GXByteBuffer(frame), reply, None) followed by
                GXDLMS.getDataFromFrame: flag and format, length, addresses, control, HCS and FCS
                (CRC-16 computed by _GXFCS16, "Wrong CRC." raised on mismatch), LLC stripped and the
                information field copied out. This is the frame layer of GXDLMS.getData without the
                APDU parsing after it; reply.xml is set (as GXDLMSTranslator.messageToXml does) so
                that the client/server N(S)/N(R) sequence check, which needs a live session, is
                skipped. settings addresses are reset to 0 per item so any address is taken.
  hdlc_segment  The APDU (with LLC E6 E6 00 in front) cut into I frames by GXDLMS.getHdlcFrame, as
                GXDLMS.getLnMessages does: client 0x10 → server 1, settings.hdlc.maxInfoTX = 128
                (Gurux makes the first frame 3 bytes shorter for the LLC; 17 frames for a 2 KB APDU,
                as MeterProof's), N(S) from settings.getNextSend; then each frame is re-parsed with
                getHdlcData + getDataFromFrame into one GXReplyData, which joins the segments (LLC
                removed) and the joined length is compared with the APDU's. Bytes counted: the APDU's.
                MeterProof additionally checks N(S) continuity in its reassembler; Gurux does not here.

Prints one JSON line:
    {"peer": "gurux_dlms", "version", "seconds_per_workload", "workloads": {NAME: {"items", "bytes",
     "seconds", "items_per_s", "mb_per_s", "distinct_items", "distinct_bytes", "rejected"}}}
1 MB = 10^6 bytes.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
import time

from gurux_dlms import GXByteBuffer, GXDLMSSettings, GXDLMSTranslator, GXReplyData
from gurux_dlms.GXDLMS import GXDLMS
from gurux_dlms.enums import InterfaceType

KINDS = {"apdu": "apdu_decode", "hdlc": "hdlc_parse", "segment": "hdlc_segment"}
WORKLOADS = ["apdu_decode", "hdlc_parse", "hdlc_segment"]

TRANSLATOR = GXDLMSTranslator()
RX_SETTINGS = GXDLMSSettings(True, None)
RX_SETTINGS.interfaceType = InterfaceType.HDLC


def apdu_decode(data: bytes) -> int:
    return len(TRANSLATOR.pduToXml(data))


def parse_frame(buffer: GXByteBuffer, reply: GXReplyData) -> int:
    RX_SETTINGS.serverAddress = 0
    RX_SETTINGS.clientAddress = 0
    control = GXDLMS.getHdlcData(True, RX_SETTINGS, buffer, reply, None)
    if not reply.complete:
        raise ValueError("incomplete frame")
    GXDLMS.getDataFromFrame(buffer, reply, True)
    return control


def hdlc_parse(data: bytes) -> int:
    reply = GXReplyData()
    reply.xml = True  # skip the session's frame-sequence check, as the translator does
    return parse_frame(GXByteBuffer(data), reply) * 131 + len(reply.data)


def hdlc_segment(apdu: bytes) -> int:
    settings = GXDLMSSettings(False, None)
    settings.interfaceType = InterfaceType.HDLC
    settings.clientAddress = 0x10
    settings.serverAddress = 1
    settings.hdlc.maxInfoTX = 128
    source = GXByteBuffer(b"\xE6\xE6\x00" + apdu)
    frames = []
    frame_ = 0
    while source.position != len(source):
        frames.append(GXDLMS.getHdlcFrame(settings, frame_, source))
        if source.position != len(source):
            frame_ = settings.getNextSend(False)
    reply = GXReplyData()
    reply.xml = True
    for frame in frames:
        parse_frame(GXByteBuffer(frame), reply)
    if len(reply.data) != len(apdu):
        raise ValueError(f"joined {len(reply.data)} bytes, expected {len(apdu)}")
    return len(frames)


RUN = {"apdu_decode": apdu_decode, "hdlc_parse": hdlc_parse, "hdlc_segment": hdlc_segment}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--seconds", type=float, default=3.0, help="seconds per workload")
    ap.add_argument("--warmup", type=float, default=0.5, help="seconds of untimed work first")
    ap.add_argument("--accepted", action="store_true", help="print the accepted lines and exit")
    args = ap.parse_args()

    inputs: dict[str, list[bytes]] = {w: [] for w in WORKLOADS}
    rejected = {w: 0 for w in WORKLOADS}
    accepted = []
    with open(args.file, encoding="ascii") as f:
        for number, line in enumerate(f, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            kind, _, hextext = text.partition(" ")
            if kind not in KINDS:
                print(f"gurux_bench: {args.file}:{number}: expected `apdu|hdlc|segment HEX`", file=sys.stderr)
                return 2
            workload = KINDS[kind]
            try:
                data = bytes.fromhex(hextext)
                RUN[workload](data)
            except Exception:  # pylint: disable=broad-except
                rejected[workload] += 1
                continue
            inputs[workload].append(data)
            accepted.append(line.rstrip("\n"))
    if args.accepted:
        for line in accepted:
            print(line)
        return 0

    results = {}
    missing = False
    for workload in WORKLOADS:
        items = inputs[workload]
        if not items:
            results[workload] = {"error": "no accepted input", "rejected": rejected[workload]}
            missing = True
            continue
        run = RUN[workload]
        corpus_bytes = sum(len(d) for d in items)
        end = time.perf_counter() + args.warmup
        while time.perf_counter() < end:
            for data in items:
                run(data)
        count = 0
        total = 0
        start = time.perf_counter()
        deadline = start + args.seconds
        now = start
        while now < deadline:
            for data in items:
                run(data)
            count += len(items)
            total += corpus_bytes
            now = time.perf_counter()
        elapsed = now - start
        results[workload] = {
            "items": count,
            "bytes": total,
            "seconds": round(elapsed, 6),
            "items_per_s": round(count / elapsed, 1),
            "mb_per_s": round(total / elapsed / 1e6, 6),
            "distinct_items": len(items),
            "distinct_bytes": corpus_bytes,
            "rejected": rejected[workload],
        }

    print(json.dumps({
        "peer": "gurux_dlms",
        "version": importlib.metadata.version("gurux_dlms"),
        "seconds_per_workload": args.seconds,
        "workloads": results,
    }))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
