import Campaign
import Conformance
import Foundation
import MeterBus
import Testing
import Transport

/// Devices that misbehave at the transport level still leave a complete report: a device that
/// hangs up mid-case gives `error` for that case and the run goes on; a silent device gives
/// `fail`; Ctrl-C (an interruption) gives exit 130 with every case accounted for.
@Suite("Broken devices and interruption")
struct BrokenDeviceTests {
    /// A scripted TCP device: E5 to SND_NKE; on REQ_UD2 it hangs up (`hangUp`) or stays silent.
    static func scriptedDevice(hangUp: Bool) async throws -> (TCPListener, Task<Void, Never>) {
        let listener = try await TCPListener()
        let task = Task {
            while !Task.isCancelled {
                guard let connection = try? await listener.accept() else { return }
                var reader = FrameReader()
                serving: while true {
                    guard let chunk = try? await connection.receive(maxCount: 256, timeout: .seconds(30)), !chunk.isEmpty else { break }
                    reader.append(chunk)
                    while let event = reader.next() {
                        guard case .frame(let frame, _) = event, let control = frame.control else { continue }
                        if control == .sndNKE {
                            try? await Task.sleep(for: .milliseconds(20))  // a real turnaround, inside the answer window
                            try? await connection.send([0xE5])
                        } else if hangUp {
                            await connection.close()
                            break serving
                        }
                    }
                }
                await connection.close()
            }
        }
        return (listener, task)
    }

    @Test func aDeviceThatHangsUpMidCaseGivesErrorAndTheRunGoesOn() async throws {
        let (listener, device) = try await Self.scriptedDevice(hangUp: true)
        defer { device.cancel(); listener.close() }
        let result = try await CampaignSupport.run(
            [CampaignSupport.repositoryRoot.appendingPathComponent("TestSuites/mbus/link-layer.yaml").path],
            device: .target(url: "tcp://127.0.0.1:\(listener.port)"), cases: ["MBUS_LL_P02", "MBUS_LL_P06"], name: "hangup")
        let cases = CampaignSupport.cases(result.report)
        let broken = try #require(cases["MBUS_LL_P02"])
        #expect(broken.verdict == .error, "\(broken.reason ?? "")")
        #expect(broken.reason?.contains("transport broke") == true, "\(broken.reason ?? "")")
        // The case after it ran on a new connection and passed.
        #expect(cases["MBUS_LL_P06"]?.verdict == .pass, "\(cases["MBUS_LL_P06"]?.reason ?? "")")
        #expect(result.exitStatus == 2)
        #expect(result.report.frames.contains { $0.note?.contains("reopened") == true })
        #expect(CampaignSupport.missingFiles(in: result.folder).isEmpty)
    }

    @Test func aSilentDeviceGivesFailNotAHang() async throws {
        let (listener, device) = try await Self.scriptedDevice(hangUp: false)
        defer { device.cancel(); listener.close() }
        let result = try await CampaignSupport.run(
            [CampaignSupport.repositoryRoot.appendingPathComponent("TestSuites/mbus/link-layer.yaml").path],
            device: .target(url: "tcp://127.0.0.1:\(listener.port)"), cases: ["MBUS_LL_P02"], name: "silent")
        let testCase = try #require(CampaignSupport.cases(result.report)["MBUS_LL_P02"])
        #expect(testCase.verdict == .fail)
        #expect(testCase.reason?.contains("silent") == true, "\(testCase.reason ?? "")")
        #expect(result.exitStatus == 1)
        #expect(CampaignSupport.missingFiles(in: result.folder).isEmpty)
    }

    @Test func anInterruptedRunWritesACompleteReportAndExits130() async throws {
        let interruption = Interruption()
        let result = try await CampaignSupport.run(
            device: .target(url: "sim:mbus"), name: "interrupted", interruption: interruption,
            progress: { event in
                if case .caseFinished(let index, _, _, _, _, _) = event, index == 2 { interruption.request() }
            })
        #expect(result.exitStatus == 130)
        #expect(result.report.interrupted)
        let all = result.report.suites.flatMap(\.cases)
        #expect(all.count >= 25)  // every selected case is listed
        #expect(all.prefix(2).allSatisfy { $0.verdict == .pass })
        #expect(all.dropFirst(2).allSatisfy { $0.verdict == .none && ($0.notApplicable || $0.reason?.contains("interrupted") == true) })
        #expect(result.report.summary.none == all.dropFirst(2).filter { !$0.notApplicable }.count)
        #expect(CampaignSupport.missingFiles(in: result.folder).isEmpty)
    }
}
