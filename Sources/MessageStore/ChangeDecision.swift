/// What to do with one change given the row's current `conteudo`: the same rule for every backend.
enum ChangeDecision: Sendable, Equatable {
    /// Write this text (compare-and-swap against the current one).
    case write(String)
    /// Do not write; the change ends with this outcome.
    case skip(ChangeOutcome)

    /// Decides for `change`, where `current` is the row's `conteudo` now (`.none` when the row is
    /// gone, `.some(nil)` when it is `NULL`).
    init(_ change: LinkChange, current: String??) {
        guard let current else {
            self = .skip(.missingRow)
            return
        }
        guard let text = current, ContentFingerprint(text) == change.expected else {
            self = .skip(.changedSinceRead)
            return
        }
        do {
            switch try ConteudoEditor.apply(change.action, to: text) {
            case .unchanged: self = .skip(.unchanged)
            case .changed(let new): self = .write(new)
            }
        } catch {
            self = .skip(.notEditable)
        }
    }

    /// Refuses a list that could not be applied as meant, before anything is written: a row named
    /// twice (the second change would see the first one's write as someone else's), an empty or
    /// absolute path, a Windows separator, an empty URL.
    static func validate(_ changes: [LinkChange]) throws(MessageStoreError) {
        var seen = Set<Int64>()
        seen.reserveCapacity(changes.count)
        for change in changes {
            guard seen.insert(change.rowID).inserted else {
                throw .invalidChanges("row \(change.rowID) appears more than once")
            }
            if case .link(let path, let url) = change.action {
                guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\") else {
                    throw .invalidChanges(
                        "row \(change.rowID): localPath '\(path)' must be relative to the media root, with '/'")
                }
                guard !url.isEmpty else { throw .invalidChanges("row \(change.rowID): localUrl is empty") }
            }
        }
    }
}
