import ArgumentParser

/// The exit codes of every `audiosync` command, named once.
extension ExitCode {
    /// 0: the command did what it was asked.
    static let ok = ExitCode(0)
    /// 1: the command could not run to the end (a missing media root, an unreadable database).
    static let runtimeFailure = ExitCode(1)
    /// 2: reserved for a run that worked but found a regression (evaluation against a baseline).
    static let regression = ExitCode(2)
    /// 64: the command line was wrong (sysexits' EX_USAGE).
    static let usage = ExitCode(64)
    /// 78: the profile (configuration) is wrong (sysexits' EX_CONFIG).
    static let configuration = ExitCode(78)
}
