import MatchEngine
import MessageStore
import Sync
import Testing

/// Plays the CRM during a sync's write phase, on a connection of its own. After each batch the
/// store commits and before the next one begins (``MessageStoreOptions/afterBatch``), it rewrites the
/// `conteudo` of the last row the sync wrote and of a row the next batch is about to write (adding a
/// key, keeping the rest), and inserts a row. It notes how many changes the journal held as it wrote:
/// what shows that it wrote between the run's batches, not before or after the run.
actor WritePhaseCRM {
    struct Edit: Sendable {
        var row: Int64
        var marker: String
        /// Whether the sync had yet to write the row, so that its change must be skipped.
        var beforeOurWrite: Bool
        /// Changes in the journal when the CRM wrote.
        var journalled: Int
    }

    /// Runs a statement on the CRM's connection.
    typealias Execute = @Sendable (_ sql: String) async throws -> Void
    /// Runs `SELECT count(*) …` on the CRM's connection.
    typealias Count = @Sendable (_ sql: String) async throws -> Int

    /// The rows the sync writes, in the order it writes them: the links of its dry run that are not
    /// withheld (its changes, sorted by row).
    let planned: [Int64]
    private let batchSize: Int
    private let execute: Execute
    private let count: Count
    private(set) var edits: [Edit] = []

    init(dryRun: SyncReport, batchSize: Int, execute: @escaping Execute, count: @escaping Count) {
        precondition(batchSize > 1, "a batch needs a row besides its last")
        let withheld = Set(dryRun.changes.withheld.map(\.messageRowID))
        planned = dryRun.plan.links.map(\.messageRowID).filter { !withheld.contains($0) }.sorted()
        #expect(planned.count == dryRun.changes.links && planned.count > 2 * batchSize)
        self.batchSize = batchSize
        self.execute = execute
        self.count = count
    }

    /// What the CRM does once the sync has committed `committed` batches.
    func write(afterBatch committed: Int) async throws {
        let journalled = try await count("SELECT count(*) FROM audiosync_change")
        let written = min(committed * batchSize, planned.count)
        var targets = [(row: planned[written - 1], pending: false)]
        // A row of the next batch, at another place each time but never its last (edited afterwards).
        let next = written + committed % (batchSize - 1)
        if next < planned.count { targets.append((planned[next], true)) }
        for target in targets {
            let marker = "crm-\(edits.count + 1)"
            try await execute(
                #"UPDATE core_mensagem SET conteudo = '{"crm": "\#(marker)", ' || substr(conteudo, 2) "#
                    + "WHERE id = \(target.row)")
            edits.append(
                Edit(row: target.row, marker: marker, beforeOurWrite: target.pending, journalled: journalled))
        }
        try await execute(
            "INSERT INTO core_mensagem (id, chat_id, message_id, tipo, conteudo, data_envio, from_me) "
                + "VALUES (\(50_000_000 + committed), 1, NULL, 'texto', '{}', '2025-08-30 10:00:00', false)")
    }

    /// Checks the sync's `report` and the rows' `conteudo` afterwards against what the CRM did.
    func check(_ report: SyncReport, conteudo: [Int64: String], sourceLocation: SourceLocation = #_sourceLocation) {
        let write = report.write
        let during = edits.filter { $0.journalled > 0 && $0.journalled < write[.updated] }
        #expect(write.batches > 2, sourceLocation: sourceLocation)
        #expect(
            during.contains { $0.beforeOurWrite } && during.contains { !$0.beforeOurWrite },
            "the CRM wrote between the run's first and last batch, before and after our writes",
            sourceLocation: sourceLocation)
        let skipped = Set(write.skipped.map(\.rowID))
        #expect(
            skipped == Set(edits.filter(\.beforeOurWrite).map(\.row)), "skipped exactly the rows the CRM changed",
            sourceLocation: sourceLocation)
        #expect(write.skipped.allSatisfy { $0.outcome == .changedSinceRead }, sourceLocation: sourceLocation)
        #expect(write[.updated] == planned.count - skipped.count, sourceLocation: sourceLocation)
        for edit in edits {
            #expect(
                conteudo[edit.row]?.contains(edit.marker) == true, "the CRM's update of row \(edit.row) was lost",
                sourceLocation: sourceLocation)
        }
        for row in planned where !skipped.contains(row) {
            #expect(
                conteudo[row]?.contains(#""localPath""#) == true, "row \(row) was written yet is not linked",
                sourceLocation: sourceLocation)
        }
    }
}
