#!/usr/bin/env python3
"""Decodes DLMS APDUs with Gurux.DLMS.Python (PyPI `gurux_dlms`) for GuruxTranslatorTests.

Reads one input per line on stdin (blank lines are skipped): either a hex PDU (an ACSE or xDLMS
APDU, no framing), run through GXDLMSTranslator(SIMPLE_XML).pduToXml(bytes), or `msg HEX`, a whole
HDLC or wrapper frame, run through messageToXml(GXByteBuffer(bytes)) so that Gurux's own frame
parser finds the APDU. Prints one JSON object per line, in input order:

    {"ok": bool, "frame": "HDLC"/"WRAPPER" (msg only), "root": XML root element name of the APDU,
     "class_id": int, "instance_id": OBIS as 12 hex digits, "attribute_id": int, "method_id": int,
     "result": int, "diagnostic": int, "diagnostic_source": "ACSEServiceUser"/"ACSEServiceProvider",
     "error": str}

Keys whose element Gurux did not write are left out. The fields are read from the first
AttributeDescriptor / MethodDescriptor (ClassId, InstanceId, AttributeId / MethodId) and from
AssociationResult and ResultSourceDiagnostic/ACSEServiceUser (Gurux writes all values as hex).
When the XML does not parse (Gurux writes `<Data="…" />` for some PDUs it does not know), "root"
is the first element name found by a regular expression and "ok" stays true: the decoder did not
raise. "ok" is false only when pduToXml raised; "error" then holds the exception.

One process for all PDUs; one translator reused (it creates fresh settings per call).
"""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET

from gurux_dlms import GXByteBuffer, GXDLMSTranslator
from gurux_dlms.enums import TranslatorOutputType


def hex_value(element: ET.Element | None) -> int | None:
    if element is None:
        return None
    value = element.get("Value")
    if value is None:
        return None
    try:
        return int(value, 16)
    except ValueError:
        return None


def describe(translator: GXDLMSTranslator, pdu: bytes, framed: bool) -> dict:
    try:
        text = translator.messageToXml(GXByteBuffer(pdu)) if framed else translator.pduToXml(pdu)
    except Exception as error:  # Gurux raises ValueError, IndexError, … on what it refuses
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    out: dict = {"ok": True}
    if framed:
        # <HDLC …> or <WRAPPER …>, addresses, then the APDU's XML inside <PDU>.
        match = re.match(r"\s*<([A-Za-z_][\w.-]*)", text)
        out["frame"] = match.group(1) if match else ""
        pdu_xml = re.search(r"<PDU>(.*)</PDU>", text, re.S)
        if pdu_xml is None:
            out["root"] = ""
            return out
        text = pdu_xml.group(1)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        match = re.search(r"<([A-Za-z_][\w.-]*)", text)
        out["root"] = match.group(1) if match else ""
        out["xml_error"] = str(error)
        return out
    out["root"] = root.tag
    descriptor = root.find(".//AttributeDescriptor")
    if descriptor is None:
        descriptor = root.find(".//MethodDescriptor")
    if descriptor is not None:
        class_id = hex_value(descriptor.find("ClassId"))
        if class_id is not None:
            out["class_id"] = class_id
        instance = descriptor.find("InstanceId")
        if instance is not None and instance.get("Value") is not None:
            out["instance_id"] = instance.get("Value").upper()
        for tag, key in (("AttributeId", "attribute_id"), ("MethodId", "method_id")):
            value = hex_value(descriptor.find(tag))
            if value is not None:
                out[key] = value
    result = hex_value(root.find(".//AssociationResult"))
    if result is not None:
        out["result"] = result
    diagnostic = root.find(".//ResultSourceDiagnostic")
    if diagnostic is not None:
        for child in diagnostic:
            value = hex_value(child)
            if value is not None:
                out["diagnostic"] = value
                out["diagnostic_source"] = child.tag
                break
    return out


def main() -> int:
    translator = GXDLMSTranslator(TranslatorOutputType.SIMPLE_XML)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        framed = line.startswith("msg ")
        if framed:
            line = line[4:].strip()
        try:
            pdu = bytes.fromhex(line)
        except ValueError as error:
            print(json.dumps({"ok": False, "error": f"bad hex: {error}"}))
            continue
        print(json.dumps(describe(translator, pdu, framed)))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
