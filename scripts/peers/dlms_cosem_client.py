#!/usr/bin/env python3
"""A small DLMS/COSEM client on u9n/dlms-cosem (PyPI `dlms-cosem`, pinned 25.1.0 in
requirements.txt) for MeterProof's interoperability tests.

Connects to a server over the TCP wrapper (IEC 62056-47), associates (no authentication,
low-level security with --password, or HLS-GMAC with ciphered APDUs with --hls-gmac --ek --ak),
reads
  - the logical device name   0.0.42.0.0.255 (IC 1) attribute 2
  - the clock time            0.0.1.0.0.255  (IC 8) attribute 2
  - an energy register        1.0.1.8.0.255  (IC 3) attributes 2 (value) and 3 (scaler_unit)
releases the association, and prints one JSON object with what it read (raw A-XDR bytes as hex
beside the decoded values). On failure it prints {"ok": false, "stage": ..., "error": ...} and
exits with status 1 (2 for bad arguments).

Uses only dlms-cosem's public client API (and structlog, which it logs with): BlockingTcpIO, TcpTransport, DlmsClient (connect,
associate, get, release_association, disconnect), NoSecurityAuthentication,
LowLevelSecurityAuthentication and utils.parse_as_dlms_data.
"""

import argparse
import importlib.metadata
import json
import logging
import sys

import structlog

# dlms-cosem logs every frame through structlog, by default to standard output: keep standard
# output for the one JSON object, and only warnings (to standard error).
structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING),
                    logger_factory=structlog.PrintLoggerFactory(file=sys.stderr))

from dlms_cosem import cosem, enumerations, utils
from dlms_cosem.client import DlmsClient
from dlms_cosem.io import BlockingTcpIO, TcpTransport
from dlms_cosem.security import (HighLevelSecurityGmacAuthentication, LowLevelSecurityAuthentication,
                                 NoSecurityAuthentication)


def date_time(octets):
    """A COSEM date-time octet-string (12 bytes) as fields and ISO text (fact sheet 6.4)."""
    if not isinstance(octets, (bytes, bytearray)) or len(octets) != 12:
        return None
    year = octets[0] << 8 | octets[1]
    fields = {
        "year": year, "month": octets[2], "day": octets[3], "day_of_week": octets[4],
        "hour": octets[5], "minute": octets[6], "second": octets[7], "hundredths": octets[8],
        "deviation": int.from_bytes(octets[9:11], "big", signed=True), "status": octets[11],
    }
    if year != 0xFFFF and octets[2] <= 12 and octets[3] <= 31 and octets[5] < 24 and octets[6] < 60 and octets[7] < 60:
        fields["iso8601"] = "%04d-%02d-%02dT%02d:%02d:%02d" % (year, octets[2], octets[3], octets[5], octets[6], octets[7])
    return fields


def jsonable(value):
    if isinstance(value, (bytes, bytearray)):
        return {"octets": bytes(value).hex().upper()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client", type=int, default=16, help="client SAP (wPort), default 16")
    parser.add_argument("--server", type=int, default=1, help="server logical device (wPort), default 1")
    parser.add_argument("--password", help="LLS password (ASCII); without it no authentication")
    parser.add_argument("--hls-gmac", action="store_true", help="HLS mechanism 5 (GMAC) and ciphering")
    parser.add_argument("--ek", help="global unicast encryption key, hex (with --hls-gmac)")
    parser.add_argument("--ak", help="authentication key, hex (with --hls-gmac)")
    parser.add_argument("--system-title", default="4D4D4D0000000001", help="client system title, hex (with --hls-gmac)")
    parser.add_argument("--timeout", type=int, default=5)
    args = parser.parse_args()
    if args.hls_gmac and (args.ek is None or args.ak is None):
        parser.error("--hls-gmac needs --ek and --ak")

    result = {"peer": "dlms-cosem", "version": importlib.metadata.version("dlms-cosem"),
              "client": args.client,
              "authentication": "hls-gmac" if args.hls_gmac else "lls" if args.password else "none"}
    stage = "connect"
    client = None
    try:
        ciphering = {}
        if args.hls_gmac:
            authentication = HighLevelSecurityGmacAuthentication(challenge_length=32)
            ciphering = {"encryption_key": bytes.fromhex(args.ek), "authentication_key": bytes.fromhex(args.ak),
                         "client_system_title": bytes.fromhex(args.system_title)}
        elif args.password is not None:
            authentication = LowLevelSecurityAuthentication(secret=args.password.encode("ascii"))
        else:
            authentication = NoSecurityAuthentication()
        io = BlockingTcpIO(host=args.host, port=args.port, timeout=args.timeout)
        transport = TcpTransport(client_logical_address=args.client, server_logical_address=args.server,
                                 io=io, timeout=args.timeout)
        client = DlmsClient(transport=transport, authentication=authentication, timeout=args.timeout, **ciphering)
        client.connect()
        stage = "associate"
        client.associate()

        def read(interface, obis, attribute):
            raw = client.get(cosem.CosemAttribute(interface=interface, instance=cosem.Obis(*obis), attribute=attribute))
            return bytes(raw), utils.parse_as_dlms_data(raw)

        stage = "read logical device name"
        raw, ldn = read(enumerations.CosemInterface.DATA, (0, 0, 42, 0, 0, 255), 2)
        result["logical_device_name"] = ldn.decode("ascii", "replace") if isinstance(ldn, (bytes, bytearray)) else jsonable(ldn)
        result["logical_device_name_raw"] = raw.hex().upper()
        stage = "read clock time"
        raw, clock = read(enumerations.CosemInterface.CLOCK, (0, 0, 1, 0, 0, 255), 2)
        result["clock"] = date_time(clock)
        result["clock_raw"] = raw.hex().upper()
        stage = "read register value"
        raw, value = read(enumerations.CosemInterface.REGISTER, (1, 0, 1, 8, 0, 255), 2)
        result["energy_value"] = jsonable(value)
        result["energy_value_raw"] = raw.hex().upper()
        stage = "read register scaler_unit"
        raw, scaler_unit = read(enumerations.CosemInterface.REGISTER, (1, 0, 1, 8, 0, 255), 3)
        if isinstance(scaler_unit, list) and len(scaler_unit) == 2:
            result["energy_scaler"], result["energy_unit"] = scaler_unit
        result["energy_scaler_unit_raw"] = raw.hex().upper()
        stage = "release"
        client.release_association()
        stage = "disconnect"
        client.disconnect()
        client = None
    except Exception as error:  # noqa: BLE001 — any failure is reported, with the stage it happened in
        result.update({"ok": False, "stage": stage, "error": "%s: %s" % (type(error).__name__, error)})
        print(json.dumps(result))
        print("dlms_cosem_client.py: %s failed: %s: %s" % (stage, type(error).__name__, error), file=sys.stderr)
        if client is not None:
            try:
                client.disconnect()
            except Exception:  # noqa: BLE001
                pass
        return 1
    result["ok"] = True
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
