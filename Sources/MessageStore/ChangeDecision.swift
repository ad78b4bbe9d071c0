import MatchEngine

/// What to do with one change given the row's current `conteudo`: the same rule for every backend.
enum ChangeDecision: Sendable, Equatable {
    /// Replace `old`, the row's text now, with `new` (compare-and-swap against `old`).
    case write(old: String, new: String)
    /// Do not write; the change ends with this outcome.
    case skip(ChangeOutcome)

    /// Decides for `change`, where `expected` is the fingerprint of the row's `conteudo` as the plan
    /// read it and `current` is the row's `conteudo` now (`.none` when the row is gone, `.some(nil)`
    /// when it is `NULL`).
    init(_ change: ChangeSet.Change, expected: ContentFingerprint, current: String??) {
        guard let current else {
            self = .skip(.missingRow)
            return
        }
        guard let text = current, ContentFingerprint(text) == expected else {
            self = .skip(.changedSinceRead)
            return
        }
        do {
            switch try ConteudoEditor.apply(change.action, to: text) {
            case .unchanged: self = .skip(.unchanged)
            case .changed(let new): self = .write(old: text, new: new)
            }
        } catch {
            self = .skip(.notEditable)
        }
    }

    /// Refuses a list that could not be applied as meant, before anything is written: a row named
    /// twice (the second change would see the first one's write as someone else's), a row `load` did
    /// not read (there is no text to compare with), an empty or absolute path, a Windows separator, an
    /// empty URL.
    static func validate(_ changes: [ChangeSet.Change], against load: MessageLoad) throws(MessageStoreError) {
        var seen = Set<Int64>()
        seen.reserveCapacity(changes.count)
        for change in changes {
            let row = change.messageRowID
            guard seen.insert(row).inserted else {
                throw .invalidChanges("row \(row) appears more than once")
            }
            guard load.fingerprint(ofRow: row) != nil else {
                throw .invalidChanges("row \(row) is not among the loaded messages the changes were planned from")
            }
            if case .link(let path, let url) = change.action {
                // Bytes, not characters: `contains("\\")` walked each path grapheme by grapheme, a
                // third of a preview's validation at 300,000 links.
                guard !path.isEmpty, path.utf8.first != UInt8(ascii: "/"), !path.utf8.contains(UInt8(ascii: "\\"))
                else {
                    throw .invalidChanges(
                        "row \(row): localPath '\(path)' must be relative to the media root, with '/'")
                }
                guard !url.isEmpty else { throw .invalidChanges("row \(row): localUrl is empty") }
            }
        }
    }
}
