import ArgumentParser
import Dispatch
import Foundation
import Logging
import MediaStore
import Sync

/// What a command's body runs with, set up the same way for every command by ``run(_:_:)``: a
/// logger named after the command, progress drawn on stderr when it is a terminal, and printing
/// that clears the progress line first.
struct CommandContext: Sendable {
    /// `audiosync.<command>`; the handler is bootstrapped once, in ``AudioSync/main()``.
    let logger: Logger
    private let line: ProgressLine?
    /// Set by SIGINT and SIGTERM for a command that writes (``run(_:stoppable:_:)``).
    let stop: StopRequest?

    /// Runs a command's body; any error becomes one line on stderr and a named exit code, never a
    /// trace. A `stoppable` command (one that writes in batches) handles SIGINT and SIGTERM: before
    /// it writes it ends at once; while it writes, the batch in flight commits, the run is marked
    /// interrupted, and it exits 128 + the signal's number; a second signal ends it at once.
    static func run(_ command: String, stoppable: Bool = false, _ body: (CommandContext) async throws -> Void)
        async throws
    {
        let stop = stoppable ? StopRequest() : nil
        let watches = stop.map { SignalWatch(command: command, stop: $0) }
        defer { watches?.cancel() }
        let context = CommandContext(
            logger: Logger(label: "audiosync.\(command)"), line: ProgressLine.ifTerminal(), stop: stop)
        do {
            try await body(context)
        } catch let exit as ExitCode {
            throw exit
        } catch let refused as OutputIsTheDatabase {
            context.endProgress()
            Terminal.error("audiosync \(command): \(refused)")
            throw ExitCode.validationFailure
        } catch let ended as SyncEndedAfterWriting {
            context.endProgress()
            Terminal.error("audiosync \(command): \(ended)")
            if ended.reason == nil, let signal = stop?.signal { throw ExitCode(128 + signal) }
            throw ExitCode.runtimeFailure
        } catch let failure as CommandFailure {
            context.endProgress()
            Terminal.error("audiosync \(command): \(failure.message)")
            throw failure.code
        } catch {
            context.endProgress()
            Terminal.error("audiosync \(command): \(error)")
            throw ExitCode.runtimeFailure
        }
    }

    /// Progress as the libraries report it: a stage, and how far it is.
    var progress: SyncRunner.Progress {
        { [line] stage, done, total in line?.show(stage: stage, done: done, total: total) }
    }

    /// Progress as a scan reports it.
    var scanProgress: @Sendable (ScanProgress) -> Void {
        { [line] progress in line?.show(progress) }
    }

    /// Prints a report: JSON with `--json`, else its text.
    func print(_ report: some Encodable, as output: OutputOptions, text: () -> String) throws {
        endProgress()
        if output.json { try Terminal.printJSON(report) } else { Terminal.print(text()) }
    }

    /// Clears the progress line, before output that is not one report.
    func endProgress() { line?.clear() }
}
