import Dispatch
import Foundation
import Sync

/// SIGINT and SIGTERM for a command that writes: taken from their default (which would end the
/// process between two statements of a batch and leave the run `running`) and turned into a
/// ``StopRequest``.
final class SignalWatch: @unchecked Sendable {
    // Only touched on creation and in `cancel()`, both on the command's task.
    private var sources: [any DispatchSourceSignal] = []

    /// - Parameter stopIsSuccess: a stop with nothing being written exits 0 (a long-running command
    ///   asked to stop has done its job), not 128 + the signal.
    init(command: String, stop: StopRequest, stopIsSuccess: Bool = false) {
        for (signal, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                switch stop.request(signal: signal) {
                case .stopAfterBatch:
                    Terminal.error(
                        "audiosync \(command): \(name) received: stopping after the batch in flight "
                            + "(send it again to stop at once)")
                case .endNow:
                    stop.awaitReport()
                    Terminal.error(
                        "audiosync \(command): \(name) received: stopped "
                            + (stopIsSuccess ? "(no batch was being written)" : "before writing anything"))
                    exit(stopIsSuccess ? 0 : 128 + signal)
                case .askedAgain:
                    Terminal.error(
                        "audiosync \(command): \(name) received again: stopping now, the batch in flight is rolled back"
                    )
                    exit(128 + signal)
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources.removeAll()
        Foundation.signal(SIGINT, SIG_DFL)
        Foundation.signal(SIGTERM, SIG_DFL)
    }
}
