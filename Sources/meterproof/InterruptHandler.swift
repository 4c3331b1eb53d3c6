import Conformance
import Dispatch
import Foundation

/// Ctrl-C and SIGTERM: the first asks the run to stop after the current step; a second exits at once.
final class InterruptHandler {
    private let sources: [any DispatchSourceSignal]

    init(interruption: Interruption) {
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if interruption.isRequested {
                    printError("\nmeterproof: interrupted again; exiting without finishing the report")
                    exit(130)
                }
                printError("\nmeterproof: interrupted; finishing the current step and writing the report (Ctrl-C again to quit at once)")
                interruption.request()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Restores the default handlers.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
