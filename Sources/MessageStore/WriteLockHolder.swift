import Foundation

/// Who holds a database's write lock (``MessageDatabase/lockForWriting(_:)``): the command, the
/// process and machine it runs on, and since when, so that the message refusing a second sync
/// names the first.
public struct WriteLockHolder: Sendable, Hashable {
    /// `sync`, `sync --repair`, `undo 4`.
    public var command: String
    public var pid: Int32
    public var host: String
    /// Unix seconds.
    public var since: Int64

    /// A holder; `nil`s stand for this process, this machine, now.
    public init(command: String, pid: Int32? = nil, host: String? = nil, since: Int64? = nil) {
        self.command = command
        self.pid = pid ?? ProcessInfo.processInfo.processIdentifier
        self.host = host ?? ProcessInfo.processInfo.hostName
        self.since = since ?? UnixClock.now()
    }

    /// `sync, pid 4242 on web1, since 2026-12-02 01:00:00 UTC`.
    public var description: String {
        "\(command), pid \(pid) on \(host), since \(Self.utc(since))"
    }

    /// What PostgreSQL shows for the connection (`application_name`, at most 63 bytes), so that the
    /// second sync can name the first from `pg_stat_activity`.
    var applicationName: String {
        String(decoding: Array("audiosync \(command), pid \(pid) on \(host)".utf8.prefix(63)), as: UTF8.self)
    }

    /// Whether the holder is a process of this machine that no longer exists (killed without
    /// releasing the lock): then the lock is stale and may be taken over.
    var isGoneFromThisHost: Bool {
        host == ProcessInfo.processInfo.hostName && kill(pid, 0) != 0 && errno == ESRCH
    }

    static func utc(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
