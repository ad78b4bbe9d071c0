import ArgumentParser

/// The exit codes of every `audiosync` command, named once. (0 is ArgumentParser's `.success`;
/// a wrong command line exits with its `.validationFailure`, 64, sysexits' EX_USAGE.)
extension ExitCode {
    /// 1: the command could not run to the end (a missing media root, an unreadable database).
    static let runtimeFailure = ExitCode(1)
    /// 2: a run that worked but found a regression (evaluation against a baseline).
    static let regression = ExitCode(2)
    /// 3: done, but files went to review and `--strict` asked to hear of it (for cron and CI).
    static let reviewPending = ExitCode(3)
    /// 75: another sync or undo holds the database's write lock; nothing was done (sysexits'
    /// EX_TEMPFAIL: a scheduler may simply try again later).
    static let busy = ExitCode(75)
    /// 78: the profile or the config file is wrong (sysexits' EX_CONFIG).
    static let configuration = ExitCode(78)

    /// What the code means, for `--help`.
    var meaning: String {
        switch rawValue {
        case 0: "done"
        case 1: "could not run (one line on stderr says why and what to do)"
        case 2: "a regression against --against"
        case 3: "done, but files went to review (only with --strict)"
        case 64: "bad arguments or a missing setting"
        case 75: "another sync or undo is writing to this database; nothing was done, run again later"
        case 78: "a bad profile or config file"
        default: "failure"
        }
    }
}
