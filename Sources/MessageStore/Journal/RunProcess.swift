import Foundation

/// The process that does a run, as the journal records it (`pid`, `host`, `heartbeat_at`), and
/// whether a run left `running` still has one.
struct RunProcess: Sendable {
    var pid: Int64
    var host: String

    static let current = RunProcess(pid: Int64(getpid()), host: ProcessInfo.processInfo.hostName)

    /// On another host the process table cannot be asked: a run that has not written for this
    /// long is taken as abandoned. A batch takes well under a second, so an hour is no live run's.
    static let staleAfterSeconds: Int64 = 3_600

    /// Whether a run the journal holds as `running` is abandoned: on this host, its process is gone;
    /// elsewhere (or recorded before pids were), it has not written for ``staleAfterSeconds``.
    static func isAbandoned(pid: Int64?, host: String?, heartbeatAt: Int64?, startedAt: Int64, now: Int64) -> Bool {
        if let pid, let host, host == current.host {
            return !isAlive(pid)
        }
        return now - (heartbeatAt ?? startedAt) > staleAfterSeconds
    }

    /// `kill(pid, 0)`: the process exists (EPERM: it exists, but is another user's).
    static func isAlive(_ pid: Int64) -> Bool {
        guard pid > 0, pid <= Int64(Int32.max) else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    /// What the journal says of an abandoned run.
    static func abandonedSummary(pid: Int64?, host: String?) -> RunSummary {
        let who = pid.map { "process \($0)" + (host.map { " on \($0)" } ?? "") } ?? "its process"
        return RunSummary(error: "\(who) ended without finishing the run (killed, or its machine stopped)")
    }
}
