#!/usr/bin/env python3
"""A DLMS/COSEM push receiver on Gurux.DLMS.Python (PyPI `gurux-dlms`, pinned 1.0.203) for
MeterProof's interoperability tests: an independent decoder of the pushes our server sends.

Listens on 127.0.0.1 (--port, 0 for any free port) and prints {"listening": PORT} as the first
line. Accepts connections one after another; every wrapper PDU received is handed to
GXDLMSSecureClient.getData, whose `notify` reply holds a DataNotification or EventNotification
(deciphered with --ek/--ak when it is general-glo-ciphering). Prints one JSON line per
notification: {"ok": true, "command": 15, "value": [...], "time": ...} (octet-strings as
{"octets": HEX}), or {"ok": false, "error": ...}. Ends after --count notifications or --timeout
seconds (exit status 1 when fewer arrived).

Note: Gurux 1.0.203 does not verify the authentication tag of a general-glo-ciphering
notification (a flipped tag bit or a wrong AK still yields the plaintext), so a push accepted
here proves the ciphertext and framing, not the tag; `meterproof listen` checks the tag.
"""

import argparse
import contextlib
import json
import socket
import sys
import time

from gurux_dlms import GXByteBuffer, GXReplyData
from gurux_dlms.enums import Authentication, InterfaceType, Security
from gurux_dlms.secure import GXDLMSSecureClient


def plain(value):
    if isinstance(value, (bytes, bytearray)):
        return {"octets": bytes(value).hex().upper()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def emit(obj):
    sys.__stdout__.write(json.dumps(obj) + "\n")
    sys.__stdout__.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--ek", help="global unicast encryption key, hex")
    parser.add_argument("--ak", help="authentication key, hex")
    parser.add_argument("--client", type=int, default=16, help="the push client's wPort (destination), default 16")
    parser.add_argument("--server", type=int, default=1, help="the meter's logical device (source wPort), default 1")
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()

    client = GXDLMSSecureClient(True, args.client, args.server, Authentication.NONE, None, InterfaceType.WRAPPER)
    if args.ek:
        client.ciphering.security = Security.AUTHENTICATION_ENCRYPTION
        client.ciphering.blockCipherKey = bytes.fromhex(args.ek)
        client.ciphering.authenticationKey = bytes.fromhex(args.ak or args.ek)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", args.port))
    server.listen(4)
    emit({"listening": server.getsockname()[1]})
    deadline = time.monotonic() + args.timeout
    received = 0
    # Gurux prints "Encryption is applied." and the like: keep standard output for JSON.
    with contextlib.redirect_stdout(sys.stderr):
        while received < args.count and time.monotonic() < deadline:
            server.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                connection, _ = server.accept()
            except socket.timeout:
                break
            connection.settimeout(max(0.1, deadline - time.monotonic()))
            buffer = GXByteBuffer()
            with connection:
                while received < args.count:
                    try:
                        chunk = connection.recv(4096)
                    except socket.timeout:
                        break
                    if not chunk:
                        break
                    buffer.set(chunk)
                    while buffer.available() > 0 and received < args.count:
                        reply, notify = GXReplyData(), GXReplyData()
                        try:
                            complete = client.getData(buffer, reply, notify)
                        except Exception as error:  # noqa: BLE001 — reported, then the connection is dropped
                            emit({"ok": False, "error": "%s: %s" % (type(error).__name__, error)})
                            received += 1
                            buffer = GXByteBuffer()
                            break
                        if notify.isComplete() and notify.command in (15, 194):
                            emit({"ok": True, "command": notify.command, "value": plain(notify.value),
                                  "time": plain(notify.time)})
                            received += 1
                        elif not complete:
                            break
    server.close()
    return 0 if received >= args.count else 1


if __name__ == "__main__":
    sys.exit(main())
