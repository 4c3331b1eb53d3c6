import CodecSupport
import DLMS
import Testing

/// Independent truth: the ACSE APDUs of u9n/dlms-cosem's tests and of a recorded Gurux loopback
/// session decode to the meaning their test name (or the client's printed outcome) gives and
/// re-encode to the same bytes.
@Suite("ACSE vectors")
struct ACSEVectorTests {
    @Test("u9n/dlms-cosem: 30 ACSE vectors (10 AARQ, 9 AARE, 3 RLRQ, 3 RLRE, 5 inside HDLC) decode as named and re-encode exactly")
    func u9nVectors() throws {
        let vectors = try ACSEFixtures.u9n()
        #expect(vectors.count == 30)
        var counts: [String: Int] = [:]
        for v in vectors {
            let apdu = try v.apdu()
            do {
                let decoded = try ACSEAPDU(decoding: apdu)
                counts[decoded.name, default: 0] += 1
                ACSEFixtures.check(decoded, v.expected, v.label, input: apdu)
                #expect(decoded.encoded() == apdu, "\(v.label): re-encoding differs")
            } catch {
                Issue.record("\(v.label): \(error)")
            }
        }
        #expect(counts == ["aarq": 12, "aare": 12, "rlrq": 3, "rlre": 3])
        #expect(vectors.filter { $0.framing != "none" }.count == 5)
    }

    @Test("Gurux loopback: 16 ACSE APDUs — 12 decode as the client reported (LLS 'Gurux', wrong password → 13, HLS AARQ); the server's HLS AARE and 3 RLREs carry BER lengths that disagree with their contents")
    func guruxExchanges() throws {
        let vectors = try ACSEFixtures.gurux()
        #expect(vectors.count == 16)
        var decodedCount = 0
        var rejected = 0
        for v in vectors {
            let apdu = try v.apdu()
            if v.framing == "wrapper" {
                // The hand-stripped APDU is what the wrapper codec finds too.
                #expect(try Array(WrapperFrame.decode(v.input).apdu) == apdu, "\(v.label): wrapper")
            }
            if let code = v.expected.acseString("error") {
                let error = acseError { () throws(DLMSError) in try ACSEAPDU(decoding: apdu) }
                #expect(error?.code.rawValue == code, "\(v.label): \(String(describing: error))")
                #expect(error.map { Int64($0.offset) } == v.expected.acseInt("error_offset"), "\(v.label): offset")
                rejected += 1
                if let secret = v.expected["refitted"]?.acseString("authentication_value_hex") {
                    // Capture redaction still finds the StoC in the undecodable AARE.
                    let ranges = ACSEAPDU.secretRanges(in: apdu[...])
                    let covered = Set(ranges.flatMap { Array($0) })
                    let start = try #require(ranges.first?.lowerBound)
                    #expect(covered.isSuperset(of: start..<(start + ACSEFixtures.bytes(secret).count)), "\(v.label)")
                    #expect(apdu[start...].starts(with: ACSEFixtures.bytes(secret)) || apdu[(start + 2)...].starts(with: ACSEFixtures.bytes(secret)),
                            "\(v.label): redaction starts at the StoC")
                }
                if let refitted = v.expected["refitted"] {
                    // The same APDU with the short AA length corrected (12 instead of 10).
                    var fixed = apdu
                    fixed[39] = 0x12
                    let decoded = try ACSEAPDU(decoding: fixed)
                    ACSEFixtures.check(decoded, refitted, v.label + " (refitted)", input: fixed)
                    #expect(decoded.encoded() == fixed)
                }
                continue
            }
            do {
                let decoded = try ACSEAPDU(decoding: apdu)
                ACSEFixtures.check(decoded, v.expected, v.label, input: apdu)
                #expect(decoded.encoded() == apdu, "\(v.label): re-encoding differs")
                decodedCount += 1
            } catch {
                Issue.record("\(v.label): \(error)")
            }
        }
        #expect(decodedCount == 12)
        #expect(rejected == 4)
    }

    @Test("Gurux wrong password: AARE rejected-permanent, acse-service-user 13 authentication-failure")
    func guruxAuthenticationFailure() throws {
        let bad = try #require(ACSEFixtures.gurux().first { $0.label.contains("wrapper_low_bad") && $0.label.hasSuffix("RX") })
        guard case .aare(let aare) = try ACSEAPDU(decoding: bad.apdu()) else {
            Issue.record("not an AARE")
            return
        }
        #expect(aare.result == .rejectedPermanent)
        #expect(aare.resultSourceDiagnostic == .authenticationFailure)
        #expect(aare.json["diagnostic"] == .object([
            ("source", .string("acse-service-user")), ("value", .int(13)), ("name", .string("authentication-failure")),
        ]))
    }

    @Test("Gurux RLRE length disagreement: re-fitting the two lengths makes it decode as normal + InitiateResponse")
    func guruxReleaseResponseRefitted() throws {
        // 63 0E … BE 0F 04 0E …: the recorded lengths are 7 and 1 short. Fitted to the bytes:
        let fitted = ACSEFixtures.bytes("6315800100BE10040E0800065F1F040000121DFFFF0007")
        let rlre = try RLRE(decoding: fitted)
        #expect(rlre.reason == .normal)
        #expect(rlre.userInformation?.kind == "initiateResponse")
        #expect(rlre.encoded() == fitted)
    }
}
