#!/usr/bin/env python3
"""Builds dlms_cosem_vectors_manifest.json: one classification per entry of
dlms_cosem_test_vectors.json (copied next to this script from ../shared/vectors/dlms/).

Reuses the classifications already written in ../xdlms/u9n_xdlms_vectors.json,
../acse/u9n_acse_vectors.json, ../axdr/u9n_data_vectors.json and ../hdlc/*.txt (see
../README.md); the remaining entries (bare values) are classified below from the upstream
test name and fact sheet /work/shared/reference/dlms.md. Never runs our decoder.

kind        what the bytes are
valid       true: a well-formed instance of `kind`; false: deliberately invalid
check       for valid=false: "throws" (no decoder may accept it) or "not" (a wrong_tag /
            wrong_type test: the bytes must not decode as the class in `not`)
apdu        the APDU type the bytes are or carry (PDUs only)
expect      the decoded meaning (xDLMS APDUs, from ../xdlms), compared as a subset
"""
import json, os, re

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.dirname(HERE)
src = json.load(open(os.path.join(HERE, "dlms_cosem_test_vectors.json")))
V = src["vectors"]
assert len(V) == src["count"] == 305

xdlms = {v["index"]: v for v in json.load(open(os.path.join(FIX, "xdlms/u9n_xdlms_vectors.json")))["vectors"]}
acse = {v["index"]: v for v in json.load(open(os.path.join(FIX, "acse/u9n_acse_vectors.json")))["vectors"]}
axdr = {(v["file"], v["line"], v["hex"]): v for v in json.load(open(os.path.join(FIX, "axdr/u9n_data_vectors.json")))["vectors"]}

CIPHERED = {"general-glo-ciphering", "glo-initiateRequest", "glo-initiateResponse"}

# HDLC (../hdlc/README section): frame type per index.
HDLC = {92: "ua", 93: "ua", 101: "ua", 102: "ua", 98: "snrm", 99: "ua", 100: "ua", 109: "ua", 110: "ua",
        103: "i", 105: "i", 107: "i", 108: "ui"}
HDLC_INVALID = {
    94: "flag-check input of test_frame_is_enclosed_by_hdlc_flag: 7E 66 66 66 66 7E has a flag at each end but no frame format field (66 is not A?), so it is not an HDLC frame",
    95: "test_frame_is_enclosed_by_hdlc_flag_fail: no closing flag",
    96: "test_frame_is_enclosed_by_hdlc_flag_fail: no opening flag",
    97: "test_frame_is_enclosed_by_hdlc_flag_fail: no flags",
    111: "test_next_event_reads_frame_until_event_is_available: a frame cut after its format field (length 7, 4 bytes given)",
    112: "test_next_event_reads_frame_until_event_is_available: a frame cut after its format field (length 7, 4 bytes given)",
}

# Bare values: (kind, meaning). Roles from the upstream test (keyword names in the test source).
GREEN_EK = "000102030405060708090A0B0C0D0E0F"
GREEN_AK = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
def bare(i, e):
    h, t, f = e["hex"], e["test"], e["file"]
    text = bytes.fromhex(h)
    ascii_ = text.decode("latin-1") if all(32 <= b < 127 for b in text) else None
    if h == GREEN_EK: return "key", "global encryption key EK of the Green Book examples"
    if h == GREEN_AK: return "key", "authentication key AK of the Green Book examples"
    if h == "00112233445566778899AABBCCDDEEFF": return "key", "dedicated key of the InitiateRequest"
    if h == "4D5944554D4D59474C4F42414C4B4559": return "key", 'global key "MYDUMMYGLOBALKEY" (encryption = authentication key)'
    if h == "53554348494E5345435552454B494E44": return "key", 'encryption key "SUCHINSECUREKIND"'
    if h in ("31313131313131313131313131313131", "30303030303030303030303030303030"):
        return "key", f'16-byte key "{ascii_}" passed to DlmsConnection (encryption / authentication key)'
    if h == "31323334": return "key", 'global_encryption_key=b"1234" of DlmsConnection (4 bytes; the test only checks that a key turns on general-protection, not an AES-128 key length)'
    if h in ("4D4D4D0000BC614E", "4D4D4D0000000001", "2F19229199164103", "4D45544552313233"):
        return "system-title", f"system title (8 bytes) {ascii_ or h}"
    if h == "3132333435363738":
        if "test_asce" in f: return "password", 'LLS password "12345678" (the AARQ calling-authentication-value)'
        return "system-title", 'client system title b"12345678"'
    if h in ("503677524A323146", "4B35366956616759"):
        return "challenge", f'HLS challenge "{ascii_}" ({"StoC, in the AARE" if h.startswith("50") else "CtoS, in the AARQ"})'
    if h in ("01234567", "00000001"): return "invocation-counter", f"invocation counter 0x{h}"
    if h == "4D4D4D000000000100000001": return "iv", "GCM IV: system title 4D4D4D0000000001 + invocation counter 00000001"
    if h == "1A52FE7DD3E72748973C1E28": return "gmac-tag", "12-byte GMAC tag f(StoC) of HLS mechanism 5"
    if h.startswith("10D0D1"): return "gmac-input", "GMAC authenticated data: security control 10 + AK + StoC"
    if h == "53555045525F5345435245545F54455854": return "plaintext", 'plaintext "SUPER_SECRET_TEXT"'
    if h.startswith("411312FF") or h.startswith("801302FF") or h.startswith("81EC9EC4"):
        return "ciphertext", "AES-GCM ciphertext followed by its 12-byte tag (no APDU header)"
    if h in ("0001000100010046",): return "wrapper-header", "wrapper header alone: version 1, source wPort 1, destination wPort 1, length 70 (the APDU is not included)"
    if h.startswith("018205A0") or h.startswith("06000006540204"):
        return "block-raw-data", "raw-data of a GET-response-with-datablock: a piece of an encoded array, not a whole Data value"
    return None

out = []
for i, e in enumerate(V):
    m = {"index": i, "hex": e["hex"], "file": e["file"], "line": e["line"], "test": e["test"]}
    key = (e["file"], e["line"], e["hex"])
    x, a = xdlms.get(i), acse.get(i)
    if i in HDLC:
        m.update(kind="hdlc-frame", valid=True, frame=HDLC[i])
        if a: m["apdu"] = a["expected"]["apdu"]
        if x: m.update(apdu=x["expect"]["apdu"], apdu_offset=x["apdu_offset"], expect=x["expect"])
        m["source"] = "hdlc/u9n_hdlc_frames.txt" + (", acse/" if a else "") + (", xdlms/" if x else "")
    elif i in HDLC_INVALID:
        m.update(kind="other-bytes" if i in (94, 95, 96, 97) else "hdlc-frame", valid=False, check="throws",
                 reason=HDLC_INVALID[i], source="hdlc/u9n_hdlc_frames.txt")
    elif a and a["framing"] == "llc":
        m.update(kind="llc-information-field", valid=True, apdu=a["expected"]["apdu"], apdu_offset=a["apdu_offset"],
                 meaning="HDLC information field: LLC header (3 bytes) + ACSE APDU", source="acse/u9n_acse_vectors.json")
    elif a:
        m.update(kind="acse-apdu", valid=True, apdu=a["expected"]["apdu"], acse=a["expected"], source="acse/u9n_acse_vectors.json")
        if x: m.update(user_information=x["expect"]["apdu"], expect_user_information=x["expect"],
                       user_information_offset=x["apdu_offset"])
    elif x and x["framing"] == "wrapper":
        m.update(kind="wrapper-frame", valid=True, apdu=x["expect"]["apdu"], apdu_offset=8, expect=x["expect"],
                 source="hdlc/u9n_wrapper_pdus.txt, xdlms/u9n_xdlms_vectors.json")
    elif x:
        assert x["framing"] == "apdu" and x["apdu_offset"] == 0 and x["apdu_length"] * 2 == len(e["hex"]), i
        m["source"] = "xdlms/u9n_xdlms_vectors.json"
        if "expect" in x:
            name = x["expect"]["apdu"]
            m.update(kind="ciphered-apdu" if name in CIPHERED else "xdlms-apdu", valid=True, apdu=name, expect=x["expect"])
            if "raise" in e["test"]:
                m["note"] = ("the upstream test expects a different class or variant to reject these bytes; "
                             "they are themselves a well-formed " + name + (" (" + x["expect"]["type"] + ")" if "type" in x["expect"] else ""))
        elif "error" in x:
            m.update(kind="xdlms-apdu", valid=False, check="throws", error=x["error"],
                     reason=f"{e['test']}: " + {"unknownTag": "the first byte is not an xDLMS APDU tag",
                                                "trailingBytes": "the upstream factory test dispatches on the choice byte only; the body is not a complete APDU of that choice (bytes are left over)",
                                                "truncated": "a data length that runs past the end (wrong_length_data)"}[x["error"]])
        else:
            m.update(kind="xdlms-apdu", valid=False, check="not", **{"not": x["not"]},
                     reason=f"{e['test']}: the bytes are not a {x['not']['apdu']}" + (f" ({x['not']['type']})" if "type" in x["not"] else "") +
                            " (wrong tag / wrong type / unsupported variant)")
    elif key in axdr:
        d = axdr[key]
        kind = {"data": "cosem-data", "data-sequence": "cosem-data-sequence", "date": "date", "time": "time",
                "date-time": "date-time", "obis": "obis", "conformance": "conformance", "bytes": "other-bytes"}[d["kind"]]
        m.update(kind=kind, valid=True, meaning=d.get("note", ""), source="axdr/u9n_data_vectors.json")
        if d["data_offset"]: m["offset"] = d["data_offset"]
    else:
        b = bare(i, e)
        if b is None and e["test"] == "TestObis.test_obis_to_bytes":
            b = ("obis", "0-0:43.1.0*255 (invocation counter object)")
        elif b is None and e["test"] == "TestActionResponseNormalWithData.test_transform_bytes":
            b = ("cosem-data", "octet-string(17): the HLS reply f(StoC) carried in the ACTION response")
        elif b is None and e["test"] == "test_parse_range_descriptor":
            m["offset"] = 2
            b = ("cosem-data", "selective access: 01 (present), access selector 01 (range_descriptor), then structure(4)")
        assert b is not None, (i, e)
        m.update(kind=b[0], valid=True, meaning=b[1])
    out.append(m)

counts = {}
for m in out: counts[m["kind"]] = counts.get(m["kind"], 0) + 1
manifest = {
    "source": src["source"], "license": src["license"],
    "copied_from": "dlms_cosem_test_vectors.json (next to this file, a copy of ../shared/vectors/dlms/dlms_cosem_test_vectors.json)",
    "generated_by": "make_manifest.py",
    "count": len(out),
    "counts": dict(sorted(counts.items())),
    "valid": sum(m["valid"] for m in out),
    "invalid": sum(not m["valid"] for m in out),
    "entries": out,
}
with open(os.path.join(HERE, "dlms_cosem_vectors_manifest.json"), "w") as fh:
    json.dump(manifest, fh, indent=1, ensure_ascii=False)
    fh.write("\n")
print(json.dumps({k: manifest[k] for k in ("count", "counts", "valid", "invalid")}))
