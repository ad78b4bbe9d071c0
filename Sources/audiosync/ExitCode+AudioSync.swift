import ArgumentParser

/// The exit codes of every `audiosync` command, named once. (0 is ArgumentParser's `.success`;
/// a wrong command line exits with its `.validationFailure`, 64, sysexits' EX_USAGE.)
extension ExitCode {
    /// 1: the command could not run to the end (a missing media root, an unreadable database).
    static let runtimeFailure = ExitCode(1)
    /// 2: a run that worked but found a regression (evaluation against a baseline).
    static let regression = ExitCode(2)
    /// 78: the profile (configuration) is wrong (sysexits' EX_CONFIG).
    static let configuration = ExitCode(78)
}
