import ArgumentParser

/// The discussion part of every `--help`: what the command does, examples, and its exit codes,
/// laid out the same way everywhere.
enum CommandHelp {
    /// - Parameters:
    ///   - text: what the command does.
    ///   - examples: what each does, and the command line.
    ///   - exitCodes: the codes this command can end with.
    static func discussion(_ text: String, examples: [(String, String)], exitCodes: [ExitCode]) -> String {
        var parts = [text]
        if !examples.isEmpty {
            parts.append(
                "Examples:\n" + examples.map { "  # \($0.0)\n  \($0.1)" }.joined(separator: "\n"))
        }
        parts.append(
            "Exit codes:\n"
                + exitCodes.sorted { $0.rawValue < $1.rawValue }.map { code in
                    let number = String(code.rawValue)
                    return "  " + String(repeating: " ", count: 2 - min(2, number.count)) + number + "  " + code.meaning
                }.joined(separator: "\n"))
        return parts.joined(separator: "\n\n")
    }

    /// The codes of a command that reads or writes the store.
    static let storeCodes: [ExitCode] = [.success, .runtimeFailure, .validationFailure, .configuration]
}
