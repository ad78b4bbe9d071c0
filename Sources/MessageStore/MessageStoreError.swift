/// Why the message store could not do what it was asked. Each description is one line that says what
/// is wrong and what to do.
public enum MessageStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No file at the SQLite path (nothing was created there).
    case fileNotFound(path: String)
    /// The file is not a SQLite database (or is a folder).
    case notADatabase(path: String)
    /// A table of the spec is missing.
    case missingTable(String, database: String)
    /// A column of the spec is missing.
    case missingColumn(String, table: String, database: String)
    /// Another connection held a lock longer than the busy timeout.
    case databaseLocked(database: String, timeoutMilliseconds: Int)
    /// A write was refused: the file, its folder or the connection is read-only.
    case readOnly(database: String)
    /// The database file was deleted or replaced by another file while audiosync had it open.
    case databaseMoved(database: String, replaced: Bool)
    /// The database's folder cannot be written, so SQLite cannot keep its journal file there.
    case folderNotWritable(database: String)
    /// The location is neither a path nor a `postgres://` URL that can be understood.
    case invalidLocation(String, reason: String)
    /// Nothing listens at the PostgreSQL host and port.
    case connectionRefused(host: String, port: Int)
    /// The PostgreSQL server ended the connection (its backend terminated, the server stopped or
    /// restarted): the transaction in flight was rolled back.
    case connectionLost(host: String, reason: String)
    /// PostgreSQL refused the user name or password.
    case authenticationFailed(user: String, host: String)
    /// The PostgreSQL server asked for a password and none was found (in the URL, `PGPASSWORD` or
    /// the password file); `note` says why a password file was not read, when one was not.
    case passwordMissing(user: String, host: String, note: String?)
    /// `sslmode` asks for TLS and the server does not offer it.
    case tlsUnavailable(host: String, sslMode: String)
    /// The TLS handshake failed (for `verify-ca`/`verify-full`, most often a certificate the
    /// system does not trust); `reason` is the TLS library's.
    case tlsFailed(host: String, sslMode: String, reason: String)
    /// Another process holds the database's sync lock: one sync (or undo) at a time.
    case syncLocked(database: String, holder: String)
    /// The PostgreSQL server has no such database.
    case databaseMissing(name: String, host: String)
    /// No run with this id in the journal.
    case unknownRun(RunID)
    /// The run is not `running`, so changes cannot be added to it.
    case runNotRunning(RunID, status: RunStatus)
    /// No client matches the scope.
    case unknownClient(String)
    /// Several clients match the name.
    case ambiguousClient(String, ids: [Int64])
    /// No instance has this `instance_id`.
    case unknownInstance(String)
    /// The list of changes is not acceptable (a row twice, an empty path); nothing was written.
    case invalidChanges(String)
    /// An apply ended before its last batch, after some committed: `written` rows stand
    /// (journalled, undoable). `reason` is the error that ended it; `nil` when it was asked to stop.
    case partlyApplied(written: Int, reason: String?)
    /// Any other database error, with the database's own message.
    case database(String)
    /// What this kind of database cannot do (the sentence says what and what to do instead).
    case notSupported(String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            "no SQLite database at \(path): check the path (nothing was created there)"
        case .notADatabase(let path):
            "\(path) is not a SQLite database: give the CRM's database file"
        case .missingTable(let table, let database):
            "\(database) has no table \(table): give the CRM's database (the one with core_mensagem, core_chat, core_cliente)"
        case .missingColumn(let column, let table, let database):
            "\(database): table \(table) has no column \(column): give the CRM's database, or upgrade the CRM (audiosync reads core_mensagem, core_chat, core_cliente, core_whatsappinstance)"
        case .databaseLocked(let database, let timeout):
            "\(database) is locked by another connection for more than \(timeout) ms: retry when the CRM is idle, "
                + "or raise the busy timeout"
        case .readOnly(let database):
            "\(database) is read-only: give write access to the file and its folder, or do a dry run"
        case .databaseMoved(let database, let replaced):
            "\(database) was \(replaced ? "replaced by another file" : "deleted") while audiosync was writing to it: "
                + "nothing more was written; put the database back, then run again (see `audiosync status`)"
        case .folderNotWritable(let database):
            "cannot write in the folder of \(database): SQLite keeps its journal file next to the database; give write "
                + "access to the folder, or do a dry run"
        case .invalidLocation(let location, let reason):
            "cannot use '\(location)' as a database: \(reason); give a SQLite path or postgres://user:pass@host:port/db"
        case .connectionRefused(let host, let port):
            "no PostgreSQL server answers at \(host):\(port): start it or fix the host and port"
        case .connectionLost(let host, let reason):
            "PostgreSQL at \(host) ended the connection (\(reason)); the transaction in flight was rolled back: "
                + "run again once the server is back"
        case .authenticationFailed(let user, let host):
            "PostgreSQL at \(host) refused user '\(user)': check the user name, and the password (in PGPASSWORD, the password file ~/.pgpass or PGPASSFILE, or the URL)"
        case .passwordMissing(let user, let host, let note):
            "PostgreSQL at \(host) refused user '\(user)' without a password: set PGPASSWORD, or add a line host:port:database:user:password to ~/.pgpass (chmod 600)"
                + (note.map { " (\($0))" } ?? "")
        case .tlsUnavailable(let host, let mode):
            "PostgreSQL at \(host) offers no TLS, which sslmode=\(mode) requires: enable ssl on the server, or use sslmode=prefer on a network you trust"
        case .tlsFailed(let host, let mode, let reason):
            "the TLS connection to PostgreSQL at \(host) failed under sslmode=\(mode) (\(reason)): give the server's CA certificate with sslrootcert=FILE, or use sslmode=require to encrypt without checking the certificate"
        case .syncLocked(let database, let holder):
            "another audiosync is writing to \(database) (\(holder)): one sync or undo at a time; let it finish, or run again later"
        case .databaseMissing(let name, let host):
            "PostgreSQL at \(host) has no database '\(name)': check the database name in the URL"
        case .unknownRun(let run):
            "no run \(run) in the journal: `audiosync runs` lists the runs of this database"
        case .runNotRunning(let run, let status):
            "run \(run) is \(status.rawValue), not running: begin a new run"
        case .unknownClient(let name):
            "no client matches '\(name)': `audiosync clients` lists them; give an id, name or folder from the list"
        case .ambiguousClient(let name, let ids):
            "several clients match '\(name)' (ids \(ids.map(String.init).joined(separator: ", "))): give the id"
        case .unknownInstance(let id):
            "no instance has instance_id '\(id)': `audiosync clients` lists the instances; give one from the list"
        case .invalidChanges(let reason):
            "the changes were refused and nothing was written: \(reason)"
        case .partlyApplied(let written, let reason):
            "\(reason ?? "stopped as asked"): \(written) rows written before it (their batches committed)"
        case .database(let message):
            "database error: \(message.split(whereSeparator: \.isNewline).joined(separator: " ")) — nothing more was written; check the database and run again"
        case .notSupported(let sentence):
            sentence
        }
    }
}
