#!/usr/bin/env python3
"""A small DLMS/COSEM client on Gurux.DLMS.Python (PyPI `gurux-dlms`, pinned 1.0.203 in
requirements.txt) for MeterProof's interoperability tests.

Connects to a server over the TCP wrapper (IEC 62056-47), associates (no authentication,
low-level security with --password, or HLS-GMAC with authenticated encryption of every xDLMS
APDU with --hls-gmac --ek --ak), reads
  - the logical device name   0.0.42.0.0.255 (IC 1) attribute 2
  - the clock time            0.0.1.0.0.255  (IC 8) attribute 2
  - an energy register        1.0.1.8.0.255  (IC 3) attributes 2 (value) and 3 (scaler_unit)
releases the association, and prints one JSON object with what it read. On failure it prints
{"ok": false, "stage": ..., "error": ...} and exits with status 1 (2 for bad arguments).

Gurux's GXDLMSClient only builds and parses messages; this script moves the bytes over a plain
socket: aarqRequest/parseAareResponse, read/updateValue, releaseRequest, with getData deciding
when a reply is complete and receiverReady asking for the next block.
"""

import argparse
import contextlib
import importlib.metadata
import json
import socket
import sys

from gurux_dlms import GXByteBuffer, GXDLMSClient, GXReplyData
from gurux_dlms.enums import Authentication, InterfaceType, Security
from gurux_dlms.objects import GXDLMSClock, GXDLMSData, GXDLMSRegister
from gurux_dlms.secure import GXDLMSSecureClient


class WrapperLink:
    """One TCP connection; exchanges Gurux-built messages and feeds replies back to getData."""

    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)

    def exchange(self, client, message, reply):
        if not message:
            return
        notify = GXReplyData()
        self.sock.sendall(bytes(message))
        received = GXByteBuffer()
        while not client.getData(received, reply, notify):
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("the server closed the connection before the reply was complete")
            received.set(chunk)

    def request(self, client, messages, reply):
        """Sends each message (a request may be several), then asks for the rest of a block transfer."""
        for message in messages:
            self.exchange(client, message, reply)
        while reply.isMoreData():
            self.exchange(client, client.receiverReady(reply), reply)

    def close(self):
        self.sock.close()


def plain(value):
    """Gurux values as JSON: byte strings as hex, lists element-wise, everything else as text or number."""
    if isinstance(value, (bytes, bytearray)):
        return {"octets": bytes(value).hex().upper()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def main():
    # GXDLMSSecureClient prints "Encryption is applied." and the like: keep standard output for
    # the one JSON object.
    with contextlib.redirect_stdout(sys.stderr):
        result, status = session()
    print(json.dumps(result))
    return status


def session():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client", type=int, default=16, help="client SAP (wPort), default 16")
    parser.add_argument("--server", type=int, default=1, help="server logical device (wPort), default 1")
    parser.add_argument("--password", help="LLS password (ASCII); without it no authentication")
    parser.add_argument("--hls-gmac", action="store_true", help="HLS mechanism 5 (GMAC) and ciphering (SC 30)")
    parser.add_argument("--ek", help="global unicast encryption key, hex (with --hls-gmac)")
    parser.add_argument("--ak", help="authentication key, hex (with --hls-gmac)")
    parser.add_argument("--system-title", default="4D4D4D0000000001", help="client system title, hex (with --hls-gmac)")
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()
    if args.hls_gmac and (args.ek is None or args.ak is None):
        parser.error("--hls-gmac needs --ek and --ak")

    result = {"peer": "gurux-dlms", "version": importlib.metadata.version("gurux-dlms"),
              "client": args.client,
              "authentication": "hls-gmac" if args.hls_gmac else "lls" if args.password else "none"}
    if args.hls_gmac:
        client = GXDLMSSecureClient(True, args.client, args.server, Authentication.HIGH_GMAC, None, InterfaceType.WRAPPER)
        client.ciphering.security = Security.AUTHENTICATION_ENCRYPTION
        client.ciphering.systemTitle = bytes.fromhex(args.system_title)
        client.ciphering.blockCipherKey = bytes.fromhex(args.ek)
        client.ciphering.authenticationKey = bytes.fromhex(args.ak)
    else:
        authentication = Authentication.LOW if args.password is not None else Authentication.NONE
        client = GXDLMSClient(True, args.client, args.server, authentication, args.password, InterfaceType.WRAPPER)
    stage = "connect"
    link = None
    try:
        link = WrapperLink(args.host, args.port, args.timeout)
        stage = "associate"
        reply = GXReplyData()
        link.request(client, client.aarqRequest(), reply)
        client.parseAareResponse(reply.data)
        if client.isAuthenticationRequired:
            stage = "HLS pass 3/4"
            for message in client.getApplicationAssociationRequest():
                reply = GXReplyData()
                link.exchange(client, message, reply)
                client.parseApplicationAssociationResponse(reply.data)

        def read(item, attribute):
            reply = GXReplyData()
            link.request(client, client.read(item, attribute), reply)
            raw = reply.value
            client.updateValue(item, attribute, raw)
            return raw

        stage = "read logical device name"
        ldn = GXDLMSData("0.0.42.0.0.255")
        raw = read(ldn, 2)
        value = ldn.value if ldn.value is not None else raw
        result["logical_device_name"] = (bytes(value).decode("ascii", "replace")
                                         if isinstance(value, (bytes, bytearray)) else plain(value))
        stage = "read clock time"
        clock = GXDLMSClock("0.0.1.0.0.255")
        raw = read(clock, 2)
        result["clock_raw"] = plain(raw)
        result["clock"] = str(clock.time) if clock.time is not None else None
        if clock.time is not None and getattr(clock.time, "value", None) is not None:
            result["clock_iso8601"] = clock.time.value.strftime("%Y-%m-%dT%H:%M:%S")
        stage = "read register scaler_unit"
        register = GXDLMSRegister("1.0.1.8.0.255")
        raw = read(register, 3)
        result["energy_scaler_unit_raw"] = plain(raw)
        if isinstance(raw, list) and len(raw) == 2:
            result["energy_scaler"], result["energy_unit"] = raw[0], int(raw[1])
        stage = "read register value"
        raw = read(register, 2)
        result["energy_value"] = plain(raw)
        result["energy_value_scaled"] = plain(register.value)
        stage = "release"
        reply = GXReplyData()
        link.request(client, client.releaseRequest(), reply)
        stage = "disconnect"
        messages = client.disconnectRequest()
        if messages:
            link.request(client, messages if isinstance(messages, list) else [messages], GXReplyData())
    except Exception as error:  # noqa: BLE001 — any failure is reported, with the stage it happened in
        result.update({"ok": False, "stage": stage, "error": "%s: %s" % (type(error).__name__, error)})
        print("gurux_client.py: %s failed: %s: %s" % (stage, type(error).__name__, error), file=sys.stderr)
        return result, 1
    finally:
        if link is not None:
            link.close()
    result["ok"] = True
    return result, 0


if __name__ == "__main__":
    sys.exit(main())
