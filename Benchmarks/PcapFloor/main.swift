// meterproof-pcap-floor: the raw libpcap read rate of a capture, the floor any analyser sits on.
//
//   meterproof-pcap-floor FILE
//
// Opens FILE with pcap_open_offline and calls pcap_next_ex until the end, counting packets and
// captured bytes (and folding one byte of each packet into a checksum, so every packet's data is
// touched as a dissector would at least). Prints one JSON line:
//   {"packets":N,"captured_bytes":B,"file_bytes":F,"seconds":S,"packets_per_s":…,"mb_per_s":…,"checksum":C}
// MB/s is file bytes / 10^6 per second. Exit status: 0, or 2 when FILE cannot be read.

import CLibPcap
import Foundation

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: meterproof-pcap-floor FILE\n".utf8))
    exit(2)
}
let path = CommandLine.arguments[1]
let fileBytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0

var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
let clock = ContinuousClock()
let start = clock.now
guard let handle = pcap_open_offline(path, &errorBuffer) else {
    let message = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    FileHandle.standardError.write(Data("meterproof-pcap-floor: \(path): \(message)\n".utf8))
    exit(2)
}
var packets = 0
var captured = 0
var checksum: UInt64 = 0
var header: UnsafeMutablePointer<pcap_pkthdr>?
var data: UnsafePointer<UInt8>?
loop: while true {
    switch pcap_next_ex(handle, &header, &data) {
    case 1:
        let length = Int(header!.pointee.caplen)
        packets += 1
        captured += length
        if length > 0 { checksum = checksum &* 31 &+ UInt64(data![length - 1]) }
    case -2:
        break loop
    default:
        let message = String(cString: pcap_geterr(handle))
        FileHandle.standardError.write(Data("meterproof-pcap-floor: \(path): \(message)\n".utf8))
        pcap_close(handle)
        exit(2)
    }
}
pcap_close(handle)
let elapsed = clock.now - start
let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
print("{\"packets\":\(packets),\"captured_bytes\":\(captured),\"file_bytes\":\(fileBytes),"
      + "\"seconds\":\(String(format: "%.4f", seconds)),"
      + "\"packets_per_s\":\(String(format: "%.0f", Double(packets) / seconds)),"
      + "\"mb_per_s\":\(String(format: "%.2f", Double(fileBytes) / 1e6 / seconds)),\"checksum\":\(checksum)}")
