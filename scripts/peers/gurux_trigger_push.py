#!/usr/bin/env python3
"""Makes a meter push now, through Gurux.DLMS.Python (PyPI `gurux-dlms`, pinned 1.0.203), for
MeterProof's interoperability tests.

Associates over the TCP wrapper as the manager (HLS-GMAC, authenticated encryption, --ek/--ak),
writes the push setup's send_destination_and_method (IC 40 attribute 3: transport TCP, the
destination --destination HOST:PORT, A-XDR messages), invokes its method 1 (push, parameter
integer 0), releases, and prints one JSON object {"ok": ..., "stage": ..., "destination": ...}.
Exit status 1 when a step fails.
"""

import argparse
import contextlib
import json
import sys

from gurux_dlms import GXReplyData
from gurux_dlms.enums import Authentication, DataType, InterfaceType, Security
from gurux_dlms.objects import GXDLMSPushSetup
from gurux_dlms.secure import GXDLMSSecureClient

from gurux_client import WrapperLink


def session(args):
    result = {"peer": "gurux-dlms", "destination": args.destination}
    client = GXDLMSSecureClient(True, args.client, args.server, Authentication.HIGH_GMAC, None, InterfaceType.WRAPPER)
    client.ciphering.security = Security.AUTHENTICATION_ENCRYPTION
    client.ciphering.systemTitle = bytes.fromhex(args.system_title)
    client.ciphering.blockCipherKey = bytes.fromhex(args.ek)
    client.ciphering.authenticationKey = bytes.fromhex(args.ak)
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
        push = GXDLMSPushSetup(args.push_setup)
        stage = "read send_destination_and_method"
        reply = GXReplyData()
        link.request(client, client.read(push, 3), reply)
        client.updateValue(push, 3, reply.value)
        stage = "write send_destination_and_method"
        push.destination = args.destination
        reply = GXReplyData()
        link.request(client, client.write(push, 3), reply)
        if reply.error:
            raise RuntimeError("SET answered data-access-result %d" % reply.error)
        stage = "action push"
        reply = GXReplyData()
        link.request(client, client.method(push, 1, 0, DataType.INT8), reply)
        if reply.error:
            raise RuntimeError("ACTION answered action-result %d" % reply.error)
        stage = "release"
        link.request(client, client.releaseRequest(), GXReplyData())
    except Exception as error:  # noqa: BLE001 — any failure is reported, with the stage it happened in
        result.update({"ok": False, "stage": stage, "error": "%s: %s" % (type(error).__name__, error)})
        print("gurux_trigger_push.py: %s failed: %s: %s" % (stage, type(error).__name__, error), file=sys.stderr)
        return result, 1
    finally:
        if link is not None:
            link.close()
    result["ok"] = True
    return result, 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client", type=int, default=1, help="the manager's client SAP, default 1")
    parser.add_argument("--server", type=int, default=1)
    parser.add_argument("--ek", required=True)
    parser.add_argument("--ak", required=True)
    parser.add_argument("--system-title", default="4D4D4D0000000001")
    parser.add_argument("--push-setup", default="0.0.25.9.0.255")
    parser.add_argument("--destination", required=True, help="HOST:PORT the push goes to")
    parser.add_argument("--timeout", type=float, default=5.0)
    args = parser.parse_args()
    with contextlib.redirect_stdout(sys.stderr):
        result, status = session(args)
    print(json.dumps(result))
    return status


if __name__ == "__main__":
    sys.exit(main())
