import ArgumentParser

/// A command that cannot go on: one line on stderr that says what is wrong and what to do, and an
/// exit code that says what kind of failure it was.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let code: ExitCode

    init(_ message: String, code: ExitCode = .runtimeFailure) {
        self.message = message
        self.code = code
    }

    var description: String { message }
}
