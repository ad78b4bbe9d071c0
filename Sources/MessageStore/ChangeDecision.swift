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
    /// empty URL. The first change in the list with a problem is the one reported.
    static func validate(_ changes: [ChangeSet.Change], against load: MessageLoad) throws(MessageStoreError) {
        // A change set lists its rows in order, so a row named twice would sit beside itself; a
        // list in another order is searched for one with a set.
        let ordered = changes.indices.dropFirst().allSatisfy {
            changes[$0 - 1].messageRowID < changes[$0].messageRowID
        }
        var firstRepeat: Int?
        if !ordered {
            var seen = Set<Int64>()
            seen.reserveCapacity(changes.count)
            firstRepeat = changes.indices.first { !seen.insert(changes[$0].messageRowID).inserted }
        }
        // The changes before the first repeat, on every core: finding each row among a million
        // loaded ones was a third of a second at 300,000 links, with the other core idle.
        let problems: [MessageStoreError] = parallelMap(count: firstRepeat ?? changes.count, minimumChunk: 4_096) {
            range in
            for position in range {
                if let problem = problem(of: changes[position], against: load) { return [problem] }
            }
            return []
        }
        if let first = problems.first { throw first }
        if let firstRepeat {
            throw .invalidChanges("row \(changes[firstRepeat].messageRowID) appears more than once")
        }
    }

    /// What makes one change impossible to apply as meant, other than its row being named twice.
    private static func problem(of change: ChangeSet.Change, against load: MessageLoad) -> MessageStoreError? {
        let row = change.messageRowID
        guard load.fingerprint(ofRow: row) != nil else {
            return .invalidChanges("row \(row) is not among the loaded messages the changes were planned from")
        }
        if case .link(let path, let url) = change.action {
            // Bytes, not characters: `contains("\\")` walked each path grapheme by grapheme, a
            // third of a preview's validation at 300,000 links.
            guard !path.isEmpty, path.utf8.first != UInt8(ascii: "/"), !path.utf8.contains(UInt8(ascii: "\\"))
            else {
                return .invalidChanges("row \(row): localPath '\(path)' must be relative to the media root, with '/'")
            }
            guard !url.isEmpty else { return .invalidChanges("row \(row): localUrl is empty") }
        }
        return nil
    }
}
