import Foundation
import GRDB

/// The `audiosync` binary started in the background, with its standard error readable line by line
/// as it comes: tests wait for what it says, never for time to pass.
final class RunningBinary {
    let process = Process()
    private let errorPipe = Pipe()
    private let outputPipe = Pipe()
    private var buffered = Data()
    private(set) var stderr = ""

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = BinaryTests.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = errorPipe
        process.standardOutput = outputPipe
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Reads standard error until a line contains `text`; `false` when the process closed it first.
    func waitForError(containing text: String) -> Bool {
        waitForError(containingAny: [text]) != nil
    }

    /// Reads standard error until a line contains one of `texts`, and says which (`nil` when the
    /// process closed it first): a test waiting for what should happen also stops at what must not.
    func waitForError(containingAny texts: [String]) -> String? {
        let handle = errorPipe.fileHandleForReading
        while true {
            if let range = buffered.range(of: Data("\n".utf8)) {
                let line = String(decoding: buffered[..<range.lowerBound], as: UTF8.self)
                buffered.removeSubrange(..<range.upperBound)
                stderr += line + "\n"
                if let text = texts.first(where: { line.contains($0) }) { return text }
                continue
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffered.append(chunk)
        }
    }

    /// Waits for the process to end; returns its status, standard output and the rest of its errors.
    func finish() -> (status: Int32, signalled: Bool, stdout: String, stderr: String) {
        let out = outputPipe.fileHandleForReading.readDataToEndOfFile()
        buffered.append(errorPipe.fileHandleForReading.readDataToEndOfFile())
        stderr += String(decoding: buffered, as: UTF8.self)
        buffered.removeAll()
        process.waitUntilExit()
        return (
            process.terminationStatus, process.terminationReason == .uncaughtSignal,
            String(decoding: out, as: UTF8.self), stderr
        )
    }
}

/// Holds a sync's writes back with SQLite's own locks: a read transaction kept open stops a writer at
/// its next commit. Used to stop a sync in the middle of its run, however busy the machine.
final class SQLiteWritePacer {
    private let queue: DatabaseQueue
    private var holding = false

    init(database: String) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        configuration.busyMode = .timeout(600)
        queue = try DatabaseQueue(path: database, configuration: configuration)
    }

    /// Polls the journal until it holds `rows` changes (or `process` ended), and returns with a read
    /// transaction open: the writer is then stopped at its next commit, with a batch in hand.
    @discardableResult
    func holdOnce(journalled rows: Int, while process: Process) -> Int {
        holdOnce(counting: "SELECT COUNT(*) FROM audiosync_change", reaching: rows, while: process)
    }

    /// As ``holdOnce(journalled:while:)``, for any count the writer raises (rows undone, say).
    @discardableResult
    func holdOnce(counting sql: String, reaching rows: Int, while process: Process) -> Int {
        var seen = 0
        while process.isRunning {
            let count = try? queue.inDatabase { db -> Int in
                try db.execute(sql: "BEGIN")
                // A plain query, not tableExists: GRDB caches the schema, and the table appears mid-run.
                return (try? Int.fetchOne(db, sql: sql)) ?? 0
            }
            seen = count ?? seen
            if seen >= rows {
                holding = true
                return seen
            }
            try? queue.inDatabase { db in try db.execute(sql: "ROLLBACK") }
            usleep(200)
        }
        return seen
    }

    /// Ends the read transaction: the writer goes on.
    func release() {
        guard holding else { return }
        try? queue.inDatabase { db in try db.execute(sql: "ROLLBACK") }
        holding = false
    }

    func close() throws {
        release()
        try queue.close()
    }
}
