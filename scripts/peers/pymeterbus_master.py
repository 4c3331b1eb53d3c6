#!/usr/bin/env python3
"""An independent M-Bus master: pyMeterBus 0.8.5's serial functions (PyPI `pymeterbus`, module
`meterbus`) over pyserial, run against MeterProof's reference slave (`meterproof simulate mbus`).

Usage:
    pymeterbus_master.py PORT [--address N] [--secondary IIIIIIIIMMMMVVDD] [--timeout S]

PORT is anything `serial.serial_for_url` opens: a pty path (/dev/pts/N, opened 2400 8N1 because a
pty carries no parity) or socket://127.0.0.1:PORT.

What it does, with pyMeterBus's own functions only:
  1. meterbus.send_ping_frame(ser, address): SND_NKE (C=40); recv_frame must give E5.
  2. Multi-telegram read-out as pyMeterBus's mbus-serial-request-multi tool does it:
     send_request_frame_multi (REQ_UD2 C=7B: FCV=1, FCB=1), then the same request with the FCB
     toggled while the telegram ends with DIF 1F (more records follow); at most 10 telegrams.
  3. The same FCB again (no toggle): the telegram repeated (compared byte for byte).
  4. meterbus.send_select_frame(ser, secondary) (C=73, A=253, CI=52); E5 expected; then
     send_request_frame(ser, 253) (REQ_UD2 C=4B) read at the network-layer address.

Output: one JSON object on stdout:
    {"ok": bool, "error": str|null, "ack": bool, "telegrams": [{"hex", "header", "records",
     "more_records_follow"}], "repeat_identical": bool, "selected_ack": bool, "selected": {...}}
Each record: {"value", "unit", "quantity", "storage", "dif", "vif", "function"}; values are as
pyMeterBus scales them (Wh, m^3, W, m^3/h, C, K, seconds; dates as text).
Exit status: 0 when the conversation ran (ok says whether every answer came), 2 on bad arguments
or a missing module, 3 when the port cannot be opened.
"""

from __future__ import annotations

import argparse
import decimal
import json
import sys
from typing import Any

try:
    import meterbus
    import serial
except ImportError as exc:  # pragma: no cover - reported to the caller
    print(json.dumps({"ok": False, "error": f"module missing: {exc}"}))
    sys.exit(2)


def json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str, int, float)):
        return value
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return str(value)


def record_json(rec: Any) -> dict[str, Any]:
    dib, vib = rec.dib, rec.vib
    storage, _, _ = dib.parse_dife()
    if dib.function_type == meterbus.FunctionType.SPECIAL_FUNCTION:
        return {"value": rec.dataField.decodeRAW, "unit": None, "quantity": None, "storage": storage,
                "dif": f"{dib.parts[0]:02X}", "vif": None, "function": dib.function_type.name}
    _, unit, typ, _ = rec._parse_vifx()
    unit_text = unit.value if hasattr(unit, "value") else unit
    return {
        "value": json_value(rec.value),
        "unit": None if unit_text is None else str(unit_text),
        "quantity": None if typ is None else str(typ),
        "storage": storage,
        "dif": f"{dib.parts[0]:02X}",
        "vif": f"{vib.parts[0]:02X}" if vib.parts else None,
        "function": dib.function_type.name,
    }


def telegram_json(data: bytes) -> dict[str, Any]:
    frame = meterbus.load(data)
    bh = frame.body.bodyHeader
    records = frame.body.bodyPayload.records
    return {
        "hex": data.hex().upper(),
        "header": {
            "c": f"{frame.header.cField.parts[0]:02X}",
            "a": frame.header.aField.parts[0],
            "ci": f"{bh.ci_field.parts[0]:02X}",
            "id": "".join(f"{b:02X}" for b in bh.id_nr),
            "manufacturer": bh.manufacturer_field.decodeManufacturer,
            "version": bh.version_field.parts[0],
            "medium": bh.measure_medium_field.parts[0],
            "access_no": bh.acc_nr_field.parts[0],
            "status": bh.status_field.parts[0],
        },
        "records": [record_json(r) for r in records],
        # Asked of each record: in 0.8.5 the payload's more_records_follow is a method, not a property.
        "more_records_follow": any(r.more_records_follow for r in records),
    }


def receive(ser: Any) -> bytes | None:
    """recv_frame gives the frame's bytes, None on silence, False on an invalid frame."""
    data = meterbus.recv_frame(ser, 1)
    if data is None or data is False:
        return None
    return bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("port")
    parser.add_argument("--address", type=int, default=1)
    parser.add_argument("--secondary", default="1234567806360104")
    parser.add_argument("--timeout", type=float, default=1.0)
    args = parser.parse_args()

    result: dict[str, Any] = {"ok": False, "error": None, "ack": False, "telegrams": [],
                              "repeat_identical": False, "selected_ack": False, "selected": None}
    try:
        ser = serial.serial_for_url(args.port, baudrate=2400, bytesize=8, parity=serial.PARITY_NONE,
                                    stopbits=1, timeout=args.timeout)
    except Exception as exc:  # noqa: BLE001 - any open failure is reported the same way
        result["error"] = f"cannot open {args.port}: {exc}"
        print(json.dumps(result))
        return 3

    try:
        # 1. SND_NKE.
        meterbus.send_ping_frame(ser, args.address)
        ack = receive(ser)
        result["ack"] = ack is not None and isinstance(meterbus.load(ack), meterbus.TelegramACK)

        # 2. Multi-telegram read-out, FCB toggled per telegram.
        req = meterbus.send_request_frame_multi(ser, args.address)
        last = None
        for _ in range(10):
            data = receive(ser)
            if data is None:
                result["error"] = "no RSP_UD to REQ_UD2"
                break
            last = data
            telegram = telegram_json(data)
            result["telegrams"].append(telegram)
            if not telegram["more_records_follow"]:
                break
            req.header.cField.parts[0] ^= meterbus.CONTROL_MASK_FCB
            meterbus.send_request_frame_multi(ser, args.address, req)

        # 3. The same FCB again: a repeat.
        if last is not None:
            meterbus.send_request_frame_multi(ser, args.address, req)
            again = receive(ser)
            result["repeat_identical"] = again == last

        # 4. Secondary selection, then REQ_UD2 at 253.
        meterbus.send_select_frame(ser, args.secondary)
        sel = receive(ser)
        result["selected_ack"] = sel is not None and isinstance(meterbus.load(sel), meterbus.TelegramACK)
        meterbus.send_request_frame(ser, meterbus.ADDRESS_NETWORK_LAYER)
        data = receive(ser)
        result["selected"] = telegram_json(data) if data is not None else None

        result["ok"] = (result["error"] is None and result["ack"] and bool(result["telegrams"])
                        and result["selected_ack"] and result["selected"] is not None)
    except Exception as exc:  # noqa: BLE001 - reported in the JSON
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        ser.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
