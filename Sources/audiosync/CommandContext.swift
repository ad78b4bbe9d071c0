import ArgumentParser
import Dispatch
import Foundation
import Logging
import MediaStore
import MessageStore
import Sync

/// What a command's body runs with, set up the same way for every command by
/// ``run(_:_:stoppable:_:)``: the log level (`-q`, `-v`, `AUDIOSYNC_LOG_LEVEL`), a logger named after the
/// command, progress drawn on stderr when it is a terminal (never with `-q`), the settings of
/// `audiosync.yml`, and printing that clears the progress line first.
struct CommandContext: Sendable {
    /// `audiosync.<command>`; the handler is bootstrapped once, in ``AudioSync/main()``.
    let logger: Logger
    /// `-q`: no text report, no progress; errors and `--json` documents only.
    let quiet: Bool
    /// `-v` or more: the text reports add their details (work done, timings).
    var verbose: Bool { verbosity > 0 }
    /// `--config`, when given.
    private let configFile: String?
    private let verbosity: Int
    private let line: ProgressLine?
    /// Set by SIGINT and SIGTERM for a command that writes (``run(_:_:stoppable:_:)``).
    let stop: StopRequest?

    /// Runs a command's body; any error becomes one line on stderr and a named exit code, never a
    /// trace. A `stoppable` command (one that writes in batches) handles SIGINT and SIGTERM: before
    /// it writes it ends at once; while it writes, the batch in flight commits, the run is marked
    /// interrupted, and it exits 128 + the signal's number; a second signal ends it at once. With
    /// `stopIsSuccess` (a long-running command), a stop exits 0.
    static func run(
        _ command: String, _ general: GeneralOptions, stoppable: Bool = false, stopIsSuccess: Bool = false,
        _ body: (CommandContext) async throws -> Void
    ) async throws {
        let environment = ProcessInfo.processInfo.environment
        do {
            LogLevel.current = try LogLevel.resolve(
                quiet: general.quiet, verbose: general.verbose, environment: environment["AUDIOSYNC_LOG_LEVEL"])
        } catch {
            Terminal.error("audiosync \(command): \(error)")
            throw ExitCode.validationFailure
        }
        let stop = stoppable ? StopRequest() : nil
        let watches = stop.map { SignalWatch(command: command, stop: $0, stopIsSuccess: stopIsSuccess) }
        defer { watches?.cancel() }
        let context = CommandContext(
            logger: Logger(label: "audiosync.\(command)"), quiet: general.quiet, configFile: general.config,
            verbosity: general.verbose, line: general.quiet ? nil : ProgressLine.ifTerminal(), stop: stop)
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
            if ended.reason == nil, let signal = stop?.signal {
                throw stopIsSuccess ? ExitCode.success : ExitCode(128 + signal)
            }
            throw ExitCode.runtimeFailure
        } catch let failure as CommandFailure {
            context.endProgress()
            Terminal.error("audiosync \(command): \(failure.message)")
            throw failure.code
        } catch let error as MessageStoreError {
            context.endProgress()
            Terminal.error("audiosync \(command): \(error)")
            if case .syncLocked = error { throw ExitCode.busy }
            // Asking a database for what its kind cannot do (`watch --install-trigger` on SQLite).
            if case .notSupported = error { throw ExitCode.validationFailure }
            throw ExitCode.runtimeFailure
        } catch let error as SettingsError {
            context.endProgress()
            Terminal.error("audiosync \(command): \(error)")
            switch error {
            case .badConfigFile: throw ExitCode.configuration
            case .missing, .badLogLevel: throw ExitCode.validationFailure
            }
        } catch {
            context.endProgress()
            Terminal.error("audiosync \(command): \(error)")
            throw ExitCode.runtimeFailure
        }
    }

    /// The settings: `flags` over `audiosync.yml` (`--config`, or the first found) over defaults.
    func settings(_ flags: Settings.Flags = Settings.Flags()) throws -> Settings {
        var flags = flags
        flags.configFile = configFile
        return try Settings.resolve(
            flags, environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// Progress as the libraries report it: a stage, and how far it is.
    var progress: SyncRunner.Progress {
        { [line] stage, done, total in line?.show(stage: stage, done: done, total: total) }
    }

    /// Progress as a scan reports it.
    var scanProgress: @Sendable (ScanProgress) -> Void {
        { [line] progress in line?.show(progress) }
    }

    /// Prints a report: JSON with `--json`, else its text (nothing with `-q`). The `streaming`
    /// arrays of the JSON are written a block at a time (large reports).
    func print<Report: Encodable>(
        _ report: Report, as output: OutputOptions, streaming: ReportJSON.Streaming<Report> = .init([]),
        text: () -> String
    ) throws {
        endProgress()
        if output.json {
            try Terminal.printJSON(report, streaming: streaming)
        } else if !quiet {
            Terminal.print(text())
        }
    }

    /// Clears the progress line, before output that is not one report.
    func endProgress() { line?.clear() }
}

extension Settings.Flags {
    /// The flags of the store, scope and profile option groups a command has.
    init(
        store: StoreOptions? = nil, media: MediaRootOptions? = nil, database: DatabaseOptions? = nil,
        scope: ScopeOptions? = nil, profile: ProfileOptions? = nil, urlTemplate: String? = nil
    ) {
        self.init(
            mediaRoot: store?.mediaRoot ?? media?.mediaRoot, database: store?.database ?? database?.database,
            profile: profile?.profile, urlTemplate: urlTemplate, client: scope?.client, instance: scope?.instance)
    }
}

extension Settings {
    /// The media store with its probe cache.
    func media(cache: ProbeCacheOptions) throws -> MediaLocation {
        MediaLocation(root: try required(.mediaRoot), probeCache: cache.location)
    }

    /// The database, restricted to the scope's client and instance when set.
    func database(options: MessageStoreOptions = MessageStoreOptions(), scoped: Bool = true) throws
        -> DatabaseLocation
    {
        DatabaseLocation(
            database: try required(.database), options: options, client: scoped ? self[.client] : nil,
            instance: scoped ? self[.instance] : nil)
    }

    /// The profile named by `--profile` or `profile:`, or the built-in one.
    func profile() throws -> ProfileChoice { try ProfileChoice.load(self[.profile]) }
}
