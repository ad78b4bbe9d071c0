import Foundation
import MatchEngine
import MessageStore
import StoreFixtures
import Testing

/// A sync killed with SIGKILL in the middle of writing: a child process (this test binary, running
/// only ``childAppliesUntilKilled()``) applies links in small batches and stops after some of them,
/// the parent kills it once the journal shows them, then checks every row and the journal, and
/// completes the work.
@Suite struct KilledSyncTests {
    static let childVariable = "AUDIOSYNC_KILL_CHILD_DATABASE"
    static let rows = 3000
    static let first: Int64 = 30_000
    static let batch = 20
    /// Batches the child commits before it stops and waits to be killed.
    static let batchesBeforeKill = 10

    static var childDatabase: String? { ProcessInfo.processInfo.environment[childVariable] }
    /// What the child prints once its batches are committed.
    static let parked = "audiosync-test-child: parked after its batches"

    static let changes = (0..<Int64(rows)).map { MessageStoreCompatTests.link(first + $0) }

    @Test(.enabled(if: childDatabase == nil))
    func aKilledSyncLeavesEveryRowWholeAndTheJournalTrue() async throws {
        try await TestDatabase.with(.sqlite) { db in
            let path = try #require(db.path)
            let writer = try await db.writer()
            try await writer.insert(messages: Fixture.bulk(from: Self.first, count: Self.rows))
            try await writer.close()
            let original = try await db.raw.allConteudo()

            let child = Process()
            child.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
            child.arguments = ["--testing-library", "swift-testing", "--filter", "childAppliesUntilKilled"]
            child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: path]) { $1 }
            let output = Pipe()
            child.standardOutput = output
            child.standardError = output
            try child.run()
            // Kill it once it says its batches are in: it is then parked in the middle of the run, and
            // stays there. A pipe message, not a poll against a deadline: however slow the machine,
            // the kill lands there; and if the child fails instead, its output says why.
            var said = ""
            while !said.contains(Self.parked) {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                said += String(decoding: chunk, as: UTF8.self)
            }
            #expect(said.contains(Self.parked), "the child ended before it parked: \(said.suffix(2_000))")
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal, "the child finished before it could be killed")

            // Every row is as it was or as the run meant it, and whole batches only: the changes go in
            // row order, so the written rows are exactly the first k batches.
            let now = try await db.raw.allConteudo()
            let ids = (0..<Int64(Self.rows)).map { Self.first + $0 }
            let changed = ids.filter { now[$0] != original[$0] }
            #expect(changed.count % Self.batch == 0, "\(changed.count) rows changed: a batch was cut in half")
            #expect(changed.count == Self.batchesBeforeKill * Self.batch)
            #expect(changed == Array(ids.prefix(changed.count)))
            for id in changed {
                let before = try #require(original[id] ?? nil)
                let link = MessageStoreCompatTests.link(id).action
                #expect(try ConteudoEditor.apply(link, to: before) == .changed(try #require(now[id] ?? nil)))
            }
            #expect(try await db.raw.integer("SELECT count(*) FROM audiosync_change") == Int64(changed.count))
            try await JournalCheck.consistent(db)

            // A later run completes the work; the killed one reads as abandoned (its process is gone).
            let store = try await db.open()
            #expect(try await store.runs().first?.status.rawValue == "abandoned")
            let reload = try await store.loadAudioMessages(scope: .all)
            let run = try await store.beginRun(MessageStoreCompatTests.start)
            let report = try await store.apply(Self.changes, against: reload, run: run)
            #expect(
                report.counts
                    == [.updated: Self.rows - changed.count, .unchanged: changed.count].filter { $0.value > 0 })
            try await store.close()
            try await JournalCheck.consistent(db)
        }
    }

    /// The child's part: a sync that stops after ``batchesBeforeKill`` batches, in the middle of its
    /// run, until the parent kills it; it cannot finish first however slow the parent is.
    @Test(.enabled(if: childDatabase != nil, "runs only as the child process of the SIGKILL test"))
    func childAppliesUntilKilled() async throws {
        var options = MessageStoreOptions(batchSize: Self.batch)
        options.afterBatch = { committed in
            // Parked, not timed: the parent kills the process once it reads this line.
            if committed == Self.batchesBeforeKill {
                FileHandle.standardOutput.write(Data("\n\(Self.parked)\n".utf8))
                try await Task.sleep(for: .seconds(24 * 3600))
            }
        }
        let store = try await openMessageStore(
            location: try #require(Self.childDatabase), options: options, logger: TestDatabase.logger)
        let load = try await store.loadAudioMessages(scope: .all)
        let run = try await store.beginRun(MessageStoreCompatTests.start)
        _ = try await store.apply(Self.changes, against: load, run: run)
        try await store.close()
    }
}
