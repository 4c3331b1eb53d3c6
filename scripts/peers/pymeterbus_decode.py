#!/usr/bin/env python3
"""Decode wired M-Bus frames with pyMeterBus (PyPI `pymeterbus`, module `meterbus`, 0.8.5) and
print one JSON line per frame, for interoperability comparisons with MeterProof's decoder.

Usage:
    pymeterbus_decode.py FILE.hex [FILE.hex ...]     # one frame per file, name = file stem
    pymeterbus_decode.py < frames.jsonl               # lines {"name": ..., "hex": ...}

Output, one line per frame:
    {"name", "ok": bool, "error": str|null, "frame": "long"|"short"|"control"|"ack"|"wireless"|...,
     "header": {...}, "records": [{...}]}
Exit status: 0 when every input was read (whether or not pyMeterBus decoded it), 2 on bad input.

How pyMeterBus 0.8.5 decodes (read from its source, meterbus/telegram_variable_data_record.py,
core_objects.py, data_information_block.py, telegram_body.py); the comparison must allow for it:

* Values are scaled to the unit of VIFTable.lut: Wh (not kWh), J, m^3, kg, seconds, W, J/h, m^3/h,
  m^3/min, m^3/s, kg/h, "C" (degrees Celsius, written without the degree sign), K, bar, V, A, "%"
  (0xFB 0x1A relative humidity), "Currency unit", "Baud", "Bittimes", "dBm", "H.C.A", "none";
  several 0xFB codes give plain strings ("Reserved", "degF", "feet^3", "American gallon", ...).
  Time-based VIFs (on time, operating time, averaging/actuality duration, storage interval,
  battery time...) are converted to seconds; months count 2629743.83 s, years 31556926 s.
  `unit` below is that string; for plain-text VIFs (0x7C/0xFC) it is the VIF's ASCII text.
* Scaling: integer data -> int(raw * mult) when mult > 1 (truncated), else Decimal(raw * mult)
  computed in binary floating point (raw 3 with VIF 10^-1 gives 0.30000000000000004);
  BCD and real data -> Decimal(raw * mult), also via float. Compare with a relative tolerance
  (1e-9 is enough), or compare `raw * multiplier` yourself from the fields below.
* VIFEs are NOT applied: for a primary VIF with the extension bit only the first VIFE is looked
  up, in the 0x20-0x3C "per second / per kWh / ..." table, and reported as `unit_enh`;
  multiplicative corrections (VIFE 0x70-0x77, 10^(nnn-6)), additive offsets (0x78-0x7B), error
  VIFEs (0x00-0x1F) and manufacturer VIFEs are ignored (unit_enh = UNKNOWN_ENHANCEMENT). After
  0xFB/0xFD only the first VIFE selects the code; later VIFEs are ignored. (0xFC: 0x70-0x77 and
  0x78-0x7B do set a factor.)
* Dates: VIF 0x6C -> "YYYY-MM-DD" (type G), 0x6D -> "YYYY-MM-DDTHH:MM" (read as type F, 4 bytes,
  whatever the data length, so a 6-byte type I date-time is misread), years < 81 are 20xx; the
  invalid and summer-time bits are ignored. No date check: "2000-00-00" comes out as is.
* Strings (DIF 0x0D, LVAR <= 0xBF) are reversed into text; non-printable ones and every
  manufacturer-specific DIF 0x0F/0x1F record come out as space-separated hex ("raw").
* `quantity` is pyMeterBus's own type name, str(type) as in its `interpreted` JSON: an enum such
  as "VIFUnit.VOLUME", "VIFUnitExt.VOLTS", "VIFUnitSecExt.RELATIVE_HUMIDITY", or for most 0xFB
  codes a plain word ("Energy", "Volume", "Power", "Reserved"...). Enum aliases collapse: every
  0x6D record is "VIFUnit.DATE_TIME_GENERAL", 0xFD 0x30-0x33 (start/duration of tariff) show as
  "VIFUnitExt.RESERVED"/"VIFUnitExt.STORAGE_INTERVAL".
* `function` is the FunctionType name: INSTANTANEOUS_VALUE, MAXIMUM_VALUE, MINIMUM_VALUE,
  ERROR_STATE_VALUE, SPECIAL_FUNCTION (DIF 0x0F/0x1F manufacturer data, value = hex),
  MORE_RECORDS_FOLLOW (DIF 0x1F).
* Storage number, tariff and subunit come from DIF bit 6 and the DIFEs (4, 2 and 1 bits each);
  tariff and subunit are null when there is no DIFE.
* Idle filler DIF 0x2F is skipped (no record). A record whose data is shorter than its DIF says
  has value null. A primary VIF missing from its table (e.g. reserved 0x7B/0xFB) raises KeyError
  while records are read: reported here as ok = false, "while reading records: KeyError: 123".
* Records with no VIF (DIF 0x0F/0x1F) have unit, quantity and vif null.
* Frames: `meterbus.load` tries, in order, wireless SND-NR (byte 1 == 0x44, so a wired long frame
  with L = 0x44 is taken for a wireless one), ACK (E5), short (10), control (68, L = 3), long
  (68). Long frames must have CI 0x72, 0x76 or 0x78 (variable data); fixed data (0x73/0x77) is
  refused. The checksum and the L field are checked; the second L field and the second start
  byte are not.
"""

from __future__ import annotations

import decimal
import json
import os
import sys
from typing import Any

try:
    import meterbus
    from meterbus.exceptions import (
        FrameMismatch,
        MBusFrameCRCError,
        MBusFrameDecodeError,
        MbusFrameLengthError,
    )
except ImportError as exc:  # pragma: no cover - reported to the caller
    print(json.dumps({"name": None, "ok": False, "error": f"pymeterbus not installed: {exc}"}))
    sys.exit(3)


def parse_hex(text: str) -> bytes:
    """Hex pairs separated by whitespace (lines may wrap or end in CRLF), ':' '-' or ','."""
    cleaned = text
    for sep in (":", "-", ","):
        cleaned = cleaned.replace(sep, " ")
    groups = cleaned.split()
    out = bytearray()
    for g in groups:
        if g.lower().startswith("0x"):
            g = g[2:]
        if len(g) % 2:
            raise ValueError(f"odd number of hex digits in group {g!r}")
        out += bytes.fromhex(g)
    return bytes(out)


def hexbyte(b: int | None) -> str | None:
    return None if b is None else f"{b:02X}"


def describe_error(exc: BaseException) -> str:
    """pyMeterBus's exceptions carry no message of their own (no super().__init__ args)."""
    if isinstance(exc, MBusFrameCRCError):
        return f"MBusFrameCRCError: checksum computed {exc.computed:02X}, frame says {exc.expected:02X}"
    if isinstance(exc, MbusFrameLengthError):
        return f"MbusFrameLengthError: frame shorter than L field says ({exc.length} bytes)"
    if isinstance(exc, MBusFrameDecodeError):
        return f"MBusFrameDecodeError: {exc.msg}"
    if isinstance(exc, FrameMismatch):
        return "FrameMismatch"
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def json_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal):
        # Every Decimal pyMeterBus makes comes from a float, so this is exact.
        if value == value.to_integral_value() and abs(value) < 2**63:
            return int(value)
        return float(value)
    if isinstance(value, float):
        return value
    return str(value)


def enum_name(x: Any) -> str | None:
    if x is None:
        return None
    return getattr(x, "name", None) or str(x)


def record_json(rec: Any) -> dict[str, Any]:
    dib, vib = rec.dib, rec.vib
    mult, unit, typ, unit_enh = rec._parse_vifx()
    storage, tariff, device = dib.parse_dife()
    value = rec.value
    if dib.function_type == meterbus.FunctionType.SPECIAL_FUNCTION:
        value = rec.dataField.decodeRAW
    unit_text = unit.value if hasattr(unit, "value") else unit
    length, encoding = dib.length_encoding
    return {
        "value": json_value(value),
        "unit": None if unit_text is None else str(unit_text),
        "quantity": None if typ is None else str(typ),
        "function": enum_name(dib.function_type),
        "storage": storage,
        "tariff": tariff,
        "subunit": device,
        "dif": hexbyte(dib.parts[0]) if dib.parts else None,
        "dife": [hexbyte(b) for b in dib.parts[1:]],
        "vif": hexbyte(vib.parts[0]) if vib.parts else None,
        "vife": [hexbyte(b) for b in vib.parts[1:]],
        "unit_enh": None if unit_enh is None else str(unit_enh),
        "encoding": enum_name(encoding),
        "multiplier": mult,
        "data": " ".join(f"{b:02X}" for b in rec.dataField.parts),
    }


def header_json(frame: Any) -> dict[str, Any]:
    head = frame.header
    out: dict[str, Any] = {
        "c": hexbyte(head.cField.parts[0]) if head.cField.parts else None,
        "a": hexbyte(head.aField.parts[0]) if head.aField.parts else None,
    }
    body = getattr(frame, "body", None)
    bh = getattr(body, "bodyHeader", None)
    if bh is None or not bh.ci_field.parts:
        return out
    out["ci"] = hexbyte(bh.ci_field.parts[0])
    if bh.noDataHeader or not bh.id_nr_field.parts:
        return out
    out.update(
        {
            # id_nr is the identification field in reading order: BCD digits as hex.
            "id": "".join(f"{b:02X}" for b in bh.id_nr),
            "manufacturer": bh.manufacturer_field.decodeManufacturer,
            "version": bh.version_field.parts[0] if bh.version_field.parts else None,
            "medium": bh.measure_medium_field.parts[0] if bh.measure_medium_field.parts else None,
            "access_no": bh.acc_nr_field.parts[0] if bh.acc_nr_field.parts else None,
            "status": bh.status_field.parts[0] if bh.status_field.parts else None,
            "signature": "".join(f"{b:02X}" for b in bh.sig_field.parts),
        }
    )
    return out


FRAME_KINDS = {
    "TelegramLong": "long",
    "TelegramShort": "short",
    "TelegramControl": "control",
    "TelegramACK": "ack",
    "WTelegramSndNr": "wireless",
}


def decode(name: str, data: bytes) -> dict[str, Any]:
    result: dict[str, Any] = {"name": name, "ok": False, "error": None, "frame": None,
                              "header": None, "records": []}
    try:
        frame = meterbus.load(data)
    except Exception as exc:  # pyMeterBus raises IndexError and friends on short input too
        result["error"] = describe_error(exc)
        return result
    result["frame"] = FRAME_KINDS.get(type(frame).__name__, type(frame).__name__)
    try:
        if isinstance(frame, meterbus.TelegramLong):
            result["header"] = header_json(frame)
            result["records"] = [record_json(r) for r in frame.records]
        elif hasattr(frame, "header") and hasattr(frame.header, "cField"):
            result["header"] = header_json(frame)
    except Exception as exc:  # records are decoded lazily: errors can surface here
        result["error"] = "while reading records: " + describe_error(exc)
        result["records"] = []
        return result
    result["ok"] = True
    return result


def inputs(argv: list[str]):
    if argv:
        for path in argv:
            name = os.path.basename(path)
            if name.endswith(".hex"):
                name = name[: -len(".hex")]
            with open(path, "rb") as f:
                yield name, f.read().decode("ascii", errors="replace")
    else:
        for lineno, line in enumerate(sys.stdin, 1):
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
                yield str(obj.get("name", lineno)), str(obj["hex"])
            except (ValueError, KeyError, TypeError) as exc:
                raise SystemExit(f"stdin line {lineno}: expected {{\"name\", \"hex\"}}: {exc}")


def main(argv: list[str]) -> int:
    for name, text in inputs(argv):
        try:
            data = parse_hex(text)
        except ValueError as exc:
            print(json.dumps({"name": name, "ok": False, "error": f"bad hex: {exc}", "frame": None,
                              "header": None, "records": []}))
            continue
        print(json.dumps(decode(name, data), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
