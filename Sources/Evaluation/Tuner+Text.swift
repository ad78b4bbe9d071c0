// The text rendering of a tuning, for `tune`.

extension Tuner.Result {
    /// Where the profile went, then the notes on where its numbers came from.
    public func text(writtenTo path: String) -> String {
        (["audiosync tune — wrote \(path)"] + notes.map { "  " + $0 }).joined(separator: "\n")
    }
}
