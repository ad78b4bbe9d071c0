import Foundation
public import Logging
public import MatchEngine

/// A CRM database seen as a store of audio messages that a sync can link to files.
///
/// The sync command loads, plans elsewhere, then (unless it is a dry run) begins a run, applies the
/// plan's changes against the load they were planned from, and finishes the run:
///
/// ```swift
/// let store = try await openMessageStore(location: "crm.sqlite3", logger: logger)
/// let load = try await store.loadAudioMessages(scope: .all)
/// let changes = plan(load).changeSet(repair: false).changes   // the engine's work
/// let run = try await store.beginRun(RunStart(command: "sync", mediaRoot: root, options: options, toolVersion: "1.0"))
/// let report = try await store.apply(changes, against: load, run: run)
/// try await store.finishRun(run, status: .finished, summary: summary)
/// try await store.close()
/// ```
///
/// Reads never write: a dry run leaves the database file byte for byte as it was. Writes are
/// compare-and-swap per row, in short transactions that also hold the journal rows, so a killed
/// process leaves every row either as it was or as the run meant it, and the journal true.
public protocol MessageDatabase: Sendable {
    /// The location, with any password removed, for messages.
    var displayLocation: String { get }

    /// Every client, by id.
    func clients() async throws -> [ClientInfo]

    /// Every instance, by row id.
    func instances() async throws -> [InstanceInfo]

    /// The largest `core_mensagem.id` (0 for an empty table): a cheap high-water mark that
    /// `audiosync watch` polls to notice new message rows (read from the primary key's end, no scan).
    func highestMessageRowID() async throws -> Int64

    /// The ids of the audio rows of `scope` in `range`, ascending, where a row can appear below the
    /// highest id after that id was read; `nil` where it cannot. PostgreSQL hands ids out at insert
    /// and transactions commit in any order: a row of id 101 can commit after 102 was read (two CRM
    /// workers saving at once). SQLite has one writer at a time, so its ids commit in order.
    func messageRowIDs(scope: MessageScope, in range: ClosedRange<Int64>) async throws -> [Int64]?

    /// How many audio rows of `scope` have ids in `range`, or `nil` as
    /// ``messageRowIDs(scope:in:)``: `watch` compares it with the ids it has read, and asks for the
    /// ids only when a row appeared among them.
    func messageRowCount(scope: MessageScope, in range: ClosedRange<Int64>) async throws -> Int?

    /// A fingerprint of what ``loadAudioMessages(scope:)`` would read, without assembling any
    /// message: what an incremental sync compares with the one it remembered.
    /// With `sumThrough`, also the rows up to that id summed (``AudioRowsFingerprint/sum``).
    /// - Throws: as ``loadAudioMessages(scope:)`` for a scope that names nothing.
    func audioRowsFingerprint(scope: MessageScope, sumThrough: Int64?) async throws -> AudioRowsFingerprint

    /// A number that changes whenever another connection commits a change to the database
    /// (SQLite's `PRAGMA data_version`: one read, no scan), or `nil` where there is none (PostgreSQL,
    /// whose ``rowAnnouncements()`` say more). `watch` takes a change as a reason to sync again
    /// while files wait for their rows: an edit shows here, not in the highest row id.
    func changeCounter() async throws -> Int64?

    /// New and edited audio rows as the database announces them, or `nil` where nothing announces
    /// them: SQLite, or a PostgreSQL database without the trigger ``installRowTrigger()`` installs.
    func rowAnnouncements() async throws -> RowAnnouncements?

    /// Installs (or replaces) the trigger that announces audio rows inserted or edited
    /// (PostgreSQL: `audiosync_row_notify` on `core_mensagem`, `NOTIFY audiosync_rows`). Only ever
    /// on request (`watch --install-trigger`): it changes the CRM's schema.
    /// - Throws: ``MessageStoreError/notSupported(_:)`` on SQLite.
    func installRowTrigger() async throws

    /// Reads the audio messages of `scope`.
    /// - Throws: ``MessageStoreError/unknownClient(_:)``, ``MessageStoreError/ambiguousClient(_:ids:)``,
    ///   ``MessageStoreError/unknownInstance(_:)`` for a scope that names nothing.
    func loadAudioMessages(scope: MessageScope) async throws -> MessageLoad

    /// What ``apply(_:against:run:)`` would do, without writing anything (a dry run).
    func preview(_ changes: [ChangeSet.Change], against load: MessageLoad) async throws -> ApplyReport

    /// Records the start of a run (creating the journal tables on the first write ever).
    func beginRun(_ start: RunStart) async throws -> RunID

    /// Writes `changes` with compare-and-swap, journalled under `run`: a row is written only while its
    /// `conteudo` is still the text `load` read (``MessageLoad/fingerprint(ofRow:)``).
    /// - Parameters:
    ///   - changes: the engine's changes (``ChangeSet/changes``), each for a row of `load`.
    ///   - load: the load the changes were planned from.
    /// - Throws: ``MessageStoreError/invalidChanges(_:)`` (before writing anything) when a row appears
    ///   twice or is not in `load`, or a path is empty; ``MessageStoreError/unknownRun(_:)``,
    ///   ``MessageStoreError/runNotRunning(_:status:)``.
    func apply(_ changes: [ChangeSet.Change], against load: MessageLoad, run: RunID) async throws -> ApplyReport

    /// Records the end of a run with its summary.
    func finishRun(_ run: RunID, status: RunStatus, summary: RunSummary) async throws

    /// Gives back the old `conteudo` of every row the run changed that still holds what the run wrote.
    /// Undoing twice is harmless. - Throws: ``MessageStoreError/unknownRun(_:)``.
    func undo(run: RunID) async throws -> UndoReport

    /// What ``undo(run:)`` would do now, writing nothing: the rows it would restore and those it
    /// would leave. - Throws: ``MessageStoreError/unknownRun(_:)``.
    func undoPreview(run: RunID) async throws -> UndoPreview

    /// The journal's runs, newest first (empty when no run was ever recorded).
    func runs() async throws -> [RunRecord]

    /// Takes the database's write lock, so that one sync or undo writes at a time: a second one
    /// would read rows the first is changing and record a run of "changed since read". Held until
    /// ``unlockForWriting()``, or the end of the connection (PostgreSQL) or of the process (SQLite:
    /// a lock left by a process of this machine that is gone is taken over). A dry run takes none.
    /// - Throws: ``MessageStoreError/syncLocked(database:holder:)`` naming the holder.
    func lockForWriting(_ holder: WriteLockHolder) async throws

    /// Gives the write lock back (nothing when this store does not hold it).
    func unlockForWriting() async throws
    /// The row `rowID` as the audio endpoint needs it: its kind and the file its `conteudo` names,
    /// read by the load's own reader; `nil` when there is no such row, or its chat is outside `scope`.
    /// A read: writes nothing.
    func messageLink(ofRow rowID: Int64, scope: MessageScope) async throws -> MessageLinkRecord?

    /// The pairs people rejected in review, oldest first; empty when none was ever recorded (this
    /// read does not create the table).
    func rejections() async throws -> [RejectionRecord]

    /// Remembers that `file` is not the voice note of message `messageRowID`, so that no later plan
    /// proposes the pair (creating the project's tables on the first write ever).
    /// - Returns: `false` when the pair was remembered already.
    func recordRejection(file: String, messageRowID: Int64, source: String) async throws -> Bool

    /// Forgets a rejection. - Returns: whether it was remembered.
    func forgetRejection(file: String, messageRowID: Int64) async throws -> Bool

    /// Closes the connection. The store cannot be used afterwards.
    func close() async throws
}

/// Opens the store at `location`: a PostgreSQL database for a `postgres://` or `postgresql://` URL,
/// else the SQLite file at that path (which must exist), also given as a `sqlite:///` URL the way a
/// Django `DATABASE_URL` gives it.
/// - Throws: ``MessageStoreError`` when the location cannot be opened or is not a CRM database.
public func openMessageStore(
    location: String,
    options: MessageStoreOptions = MessageStoreOptions(),
    logger: Logger
) async throws -> any MessageDatabase {
    if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
        return try await PostgresMessageStore(url: location, options: options, logger: logger)
    }
    if let reason = notAPath(location) {
        throw MessageStoreError.invalidLocation(redactedDatabaseLocation(location), reason: reason)
    }
    return try SQLiteMessageStore(path: try sqlitePath(location), options: options, logger: logger)
}

/// The SQLite file a location names: a path as it is; a `sqlite:///` URL (dj-database-url's
/// spelling) as its path, `sqlite:////srv/crm/db.sqlite3` being `/srv/crm/db.sqlite3` and
/// `sqlite:///db.sqlite3` the relative `db.sqlite3`.
/// - Throws: ``MessageStoreError/invalidLocation(_:reason:)`` for a URL of another kind.
package func sqlitePath(_ location: String) throws(MessageStoreError) -> String {
    if location.hasPrefix("sqlite:///") { return String(location.dropFirst("sqlite:///".count)) }
    if let separator = location.range(of: "://"), !location[..<separator.lowerBound].contains("/") {
        // A mistyped scheme must not be taken for a missing file, nor its URL's password shown.
        let scheme = String(location[..<separator.lowerBound])
        throw .invalidLocation(
            redactedDatabaseLocation(location),
            reason: "`\(scheme)://` is not a kind of database audiosync reads (a SQLite path or sqlite:///path, "
                + "or postgres://)")
    }
    return location
}

/// Why `location`, which is not a `postgres://` URL, is not a SQLite path either: a URL of another
/// or mistyped scheme, one short of its slashes, or libpq's keyword form. Taken for a path, it
/// would only be reported as a missing file (and its password shown as part of the path).
func notAPath(_ location: String) -> String? {
    let lowered = location.lowercased()
    if lowered.hasPrefix("postgres:") || lowered.hasPrefix("postgresql:") {
        return "a PostgreSQL URL is written postgres://user@host:port/database"
    }
    if let colon = lowered.firstIndex(of: ":"), lowered[colon...].hasPrefix("://") {
        let scheme = lowered[..<colon]
        // (`sqlite:` and `file:` are left to sqlitePath(_:), which reads `sqlite:///` as a path.)
        if !scheme.isEmpty, scheme != "sqlite", scheme != "file",
            scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." })
        {
            return "the scheme '\(scheme)' is not postgres or postgresql"
        }
    }
    let words = lowered.split(separator: " ")
    if words.contains(where: { word in
        ["host=", "dbname=", "user=", "password=", "port="].contains { word.hasPrefix($0) }
    }) {
        return "libpq's keyword form is not read; give it as a URL"
    }
    return nil
}

extension MessageDatabase {
    /// A fingerprint without a sum.
    public func audioRowsFingerprint(scope: MessageScope) async throws -> AudioRowsFingerprint {
        try await audioRowsFingerprint(scope: scope, sumThrough: nil)
    }
}
