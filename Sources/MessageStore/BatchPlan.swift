import MatchEngine

/// One batch of changes decided against its rows' current texts: the compare-and-swaps to make, and
/// the batch's report once they are made. Both backends plan their batches here and keep only the SQL.
struct BatchPlan {
    /// A row to update where it still holds `old`, and to journal.
    struct Write {
        var rowID: Int64
        /// The text read in the batch's transaction: the update's condition and the journal's old text.
        var old: String
        var new: String
        /// `audiosync_change.action` and `.reason`.
        var action: String
        var reason: String
    }

    private(set) var writes: [Write] = []
    /// Each change's row and, for one that is not written, its outcome; in the order given.
    private var outcomes: [(rowID: Int64, skipped: ChangeOutcome?)] = []

    /// Decides every change of `batch`, which ``ChangeDecision/validate(_:against:)`` has accepted with
    /// `load`; `current` gives a row's `conteudo` now (`.none` when the row is gone, `.some(nil)` for `NULL`).
    init(
        _ batch: ArraySlice<ChangeSet.Change>, against load: MessageLoad, current: (Int64) throws -> String??
    ) rethrows {
        writes.reserveCapacity(batch.count)
        outcomes.reserveCapacity(batch.count)
        for change in batch {
            let row = change.messageRowID
            // Validation refused every row the load does not hold, so there is a fingerprint.
            guard let expected = load.fingerprint(ofRow: row) else { preconditionFailure("row \(row) not loaded") }
            switch ChangeDecision(change, expected: expected, current: try current(row)) {
            case .skip(let outcome):
                outcomes.append((row, outcome))
            case .write(let old, let new):
                writes.append(
                    Write(
                        rowID: row, old: old, new: new, action: change.action.journalName,
                        reason: change.reason.rawValue))
                outcomes.append((row, nil))
            }
        }
    }

    /// The batch's report, in the order the changes were given; `landed` says whether a write's
    /// compare-and-swap found the text it expected (when not, someone wrote in between).
    func report(landed: (Int64) -> Bool) -> ApplyReport {
        var report = ApplyReport()
        for (row, skipped) in outcomes {
            report.record(skipped ?? (landed(row) ? .updated : .changedSinceRead), row: row)
        }
        return report
    }
}
