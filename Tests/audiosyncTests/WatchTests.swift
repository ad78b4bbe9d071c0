import Evaluation
import Foundation
import GRDB
import Testing

/// `audiosync watch` through the built binary, on generated stores some of whose files and rows are
/// withheld and added while it runs. Every wait is on something the child says on stderr or on the
/// database's rows; a watchdog kills a child that hangs, only so that a failure ends.
@Suite(.serialized)
struct WatchTests {
    /// A store, a copy of it synced once by `audiosync sync` (what every row should end as), and
    /// which row each linked file belongs to.
    final class Scenario {
        let store: TestStore
        /// Every row's `conteudo` after a one-shot sync of the whole store.
        let expected: [Int64: String?]
        /// Linked files (relative to the media root) by their row, ordered by row id.
        let linked: [(row: Int64, file: String)]
        let held: String

        init(seed: UInt64, messages: Int = 200, files: Int = 60, defects: Set<Defect> = []) async throws {
            store = try await TestStore(messages: messages, files: files, chats: 5, seed: seed, defects: defects)
            held = store.folder + "/held"
            try FileManager.default.createDirectory(atPath: held, withIntermediateDirectories: true)
            let baseline = store.folder + "/baseline.sqlite"
            try FileManager.default.copyItem(atPath: store.database, toPath: baseline)
            let sync = try BinaryTests.run([
                "sync", "--media-root", store.mediaRoot, "--database", baseline, "--no-probe-cache",
            ])
            #expect(sync.status == 0, "\(sync.stderr)")
            let queue = try DatabaseQueue(path: baseline)
            defer { try? queue.close() }
            expected = try await queue.read { db in
                var rows: [Int64: String?] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem") {
                    rows[row["id"]] = row["conteudo"] as String?
                }
                return rows
            }
            // The file each link names, from the journal of the baseline's run.
            let links = try queue.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT message_id, json_extract(new_conteudo, '$.audioMessage.localPath')
                        FROM audiosync_change ORDER BY message_id
                        """)
            }
            linked = links.compactMap { row in (row[1] as String?).map { (row[0] as Int64, $0) } }
            try FileManager.default.removeItem(atPath: baseline)
        }

        /// The path under the media root of `file` (a `localPath` may carry a prefix of the template).
        func path(of file: String) -> String { store.mediaRoot + "/" + file }

        /// Moves `file` out of the media root, to be added back later.
        func withhold(_ file: String) throws {
            try FileManager.default.moveItem(atPath: path(of: file), toPath: held + "/" + Self.key(file))
        }

        /// Puts a withheld file back, whole, in one rename (as a downloader finishing a `.part` does).
        func restore(_ file: String) throws {
            try FileManager.default.moveItem(atPath: held + "/" + Self.key(file), toPath: path(of: file))
        }

        func heldBytes(_ file: String) throws -> Data {
            try Data(contentsOf: URL(fileURLWithPath: held + "/" + Self.key(file)))
        }

        static func key(_ file: String) -> String { file.replacingOccurrences(of: "/", with: "_") }

        /// The chat folder of a path relative to the media root (`client/instance_…/chats/number`).
        static func chatFolder(_ file: String) -> String { file.split(separator: "/").prefix(4).joined(separator: "/") }

        /// Writes half of `source`'s note under a name no row gives into its chat folder, in one
        /// rename (a damaged download): a file that waits for its row. Returns its path.
        func placeOrphan(beside source: String) throws -> String {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path(of: source)))
            let name = source.split(separator: "/").last.map(String.init) ?? ""
            let rest = name.split(separator: "_").dropFirst(2).joined(separator: "_")
            let orphan = Self.chatFolder(source) + "/msg_0000ABCD_" + rest
            let staged = held + "/orphan"
            try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: staged))
            try FileManager.default.moveItem(atPath: staged, toPath: path(of: orphan))
            return orphan
        }

        /// The columns a note's row is inserted with again; `id` is left to the database.
        static let rowColumns = "chat_id, message_id, remetente, tipo, conteudo, data_envio, from_me"

        /// Takes a true pair out, as if its note had not come yet: its file moved aside, its row kept
        /// in `held_<id>` and deleted.
        func holdOut(_ pair: (row: Int64, file: String)) throws {
            try withhold(pair.file)
            try execute(
                "CREATE TABLE held_\(pair.row) AS SELECT * FROM core_mensagem WHERE id = \(pair.row)",
                "DELETE FROM core_mensagem WHERE id = \(pair.row)")
        }

        /// Inserts a held-out pair's row again as the CRM inserts a message (a new row, its id after
        /// every other), and returns that id; its file stays held until ``restore(_:)``.
        func insertHeldRow(of pair: (row: Int64, file: String)) throws -> Int64 {
            try execute(
                "INSERT INTO core_mensagem (\(Self.rowColumns)) SELECT \(Self.rowColumns) FROM held_\(pair.row)")
            return try #require(try rows("SELECT max(id) FROM core_mensagem").first?[0] as Int64?)
        }

        /// Moves the rows from `row` on out of `core_mensagem` into a table of their own.
        func withholdRows(from row: Int64) throws {
            try execute(
                "CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id >= \(row)",
                "DELETE FROM core_mensagem WHERE id >= \(row)")
        }

        /// Puts the withheld rows back, as the CRM inserts new messages.
        func restoreRows() throws {
            try execute("INSERT INTO core_mensagem SELECT * FROM held_rows", "DROP TABLE held_rows")
        }

        /// A connection that waits for the watch's and the sync's transactions instead of failing.
        func connection() throws -> DatabaseQueue {
            var configuration = Configuration()
            configuration.busyMode = .timeout(60)
            return try DatabaseQueue(path: store.database, configuration: configuration)
        }

        /// Every row's `conteudo`, by id, read while others write.
        func conteudos() throws -> [Int64: String?] {
            let queue = try connection()
            defer { try? queue.close() }
            return try queue.read { db in
                var rows: [Int64: String?] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem") {
                    rows[row["id"]] = row["conteudo"] as String?
                }
                return rows
            }
        }

        func execute(_ statements: String...) throws {
            let queue = try connection()
            defer { try? queue.close() }
            try queue.write { db in for sql in statements { try db.execute(sql: sql) } }
        }

        func rows(_ sql: String) throws -> [Row] {
            let queue = try connection()
            defer { try? queue.close() }
            return try queue.read { try Row.fetchAll($0, sql: sql) }
        }

        /// A whole dry run of the store as it is plans no new link: what the watch linked is what a
        /// whole plan links.
        func expectWholePlanLinksNothingMore() throws {
            let whole = try BinaryTests.run([
                "sync", "-n", "--full", "--json", "--media-root", store.mediaRoot, "--database", store.database,
                "--no-probe-cache",
            ])
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any])
            let changes = try #require(report["changes"] as? [String: Any])
            #expect(changes["links"] as? Int == 0, "\(whole.stdout.prefix(2_000))")
        }

        /// Withholds `pair`'s file and edits its row with `before` (so that it is not the file's),
        /// starts a watch (`-vv`), puts the file back to wait for its row, then edits the row with
        /// `after`, another connection's commit with no new id: expects the file linked to its row
        /// as a one-shot sync links it, and the watch to stop cleanly. Returns the watch's stderr.
        func linkedAfterAnEdit(_ pair: (row: Int64, file: String), before: String, after: String) throws -> String {
            try withhold(pair.file)
            try execute(before)
            let watch = try watch(["-vv"])
            #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
            try restore(pair.file)
            #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
            #expect(watch.stderr.contains("1 waiting for a message row"), "\(watch.stderr)")
            try execute(after)
            #expect(watch.waitForError(containing: "file=\(pair.file) message_id=\(pair.row)"), "\(watch.stderr)")
            kill(watch.pid, SIGTERM)
            let end = watch.finish()
            #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
            #expect(try conteudos()[pair.row] == expected[pair.row])
            return end.stderr
        }

        func runStatuses() throws -> [String] {
            try rows("SELECT status FROM audiosync_run ORDER BY id").map { $0[0] as String }
        }

        /// Starts `audiosync watch` on the store, quick to poll; a watchdog kills it after
        /// `guardSeconds` so that a hung test fails instead of waiting for ever.
        func watch(_ extra: [String] = [], guardSeconds: Int = 120) throws -> RunningBinary {
            let child = try RunningBinary(
                [
                    "watch", "--media-root", store.mediaRoot, "--database", store.database, "--probe-cache",
                    store.folder + "/cache.sqlite", "--poll-interval", "0.1", "--settle", "0.2",
                ] + extra,
                environment: ["XDG_CONFIG_HOME": NSTemporaryDirectory() + "audiosync-no-config"])
            let process = child.process
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(guardSeconds)) {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            return child
        }
    }

    @Test(
        """
        A file written in pieces is linked once, complete, and does not hold back a file that arrived whole meanwhile; \
        a row inserted after its file is linked; SIGTERM idle exits 0
        """
    )
    func linksArrivals() async throws {
        let scenario = try await Scenario(seed: 61)
        #expect(scenario.linked.count >= 10)
        // The last linked rows come later (with every row after them); their file lands first.
        let late = scenario.linked[scenario.linked.count - 1]
        let pieces = scenario.linked[0]
        let other = scenario.linked[1]
        for file in [late.file, pieces.file, other.file] { try scenario.withhold(file) }
        try scenario.withholdRows(from: late.row)

        let watch = try scenario.watch()
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")

        // Half of a file, written and held open: pending, and never probed while it is.
        let bytes = try scenario.heldBytes(pieces.file)
        let target = scenario.path(of: pieces.file)
        // One descriptor from creation to the end (FileManager.createFile would create the file
        // empty and close it: a complete, settled file as far as anyone can tell).
        let descriptor = open(target, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        #expect(descriptor >= 0)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: bytes.prefix(bytes.count / 2))
        #expect(watch.waitForError(containing: "file=\(pieces.file) [Sync] pending"), "\(watch.stderr)")
        // Another file arrives whole meanwhile: once it has settled, a batch links it, leaving the
        // half-written one out (counted) while it is still open.
        try scenario.restore(other.file)
        #expect(watch.waitForError(containing: "file=\(other.file) message_id=\(other.row)"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
        let batchTwo = watch.stderr.split(separator: "\n").last { $0.contains("batch 2:") } ?? ""
        #expect(batchTwo.contains("batch 2: 1 linked") && batchTwo.contains("1 still arriving"), "\(watch.stderr)")
        #expect(!watch.stderr.contains("file=\(pieces.file) message_id="), "\(watch.stderr)")
        // The rest of the file, then closed: the next batch links it, once.
        try handle.write(contentsOf: bytes.dropFirst(bytes.count / 2))
        try handle.close()
        #expect(watch.waitForError(containing: "batch 3:"), "\(watch.stderr)")
        let batchThree = watch.stderr.split(separator: "\n").last { $0.contains("batch 3:") } ?? ""
        #expect(batchThree.contains("batch 3: 1 linked") && !batchThree.contains("still arriving"), "\(watch.stderr)")
        #expect(watch.stderr.components(separatedBy: "file=\(pieces.file) message_id=\(pieces.row)").count == 2)

        // A file whose row is not there yet waits for it; the row comes, the file is linked.
        try scenario.restore(late.file)
        #expect(watch.waitForError(containing: "batch 4:"), "\(watch.stderr)")
        #expect(watch.stderr.contains("1 waiting for a message row"), "\(watch.stderr)")
        try scenario.restoreRows()
        #expect(watch.waitForError(containing: "file=\(late.file) message_id=\(late.row)"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "batch 5:"), "\(watch.stderr)")

        // Idle: SIGTERM ends it at once, exit 0.
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        #expect(end.stderr.contains("SIGTERM received: stopped"), "\(end.stderr)")
        #expect(try scenario.conteudos() == scenario.expected)
        #expect(try scenario.runStatuses().allSatisfy { $0 == "finished" })
        let changes = try scenario.rows("SELECT count(*) FROM audiosync_change WHERE message_id = \(pieces.row)")
        #expect(changes.first?[0] == 1)
    }

    @Test(
        "A batch syncs the instance its file is in: a link removed by hand in another instance waits for a whole sync"
    )
    func batchesSyncTheirInstance() async throws {
        // Varied derivations: three instances of one client.
        let scenario = try await Scenario(seed: 63, defects: [.hash8Derivations])
        func instance(of file: String) -> String { file.split(separator: "/").prefix(2).joined(separator: "/") }
        let arriving = try #require(scenario.linked.first)
        let elsewhere = try #require(scenario.linked.first { instance(of: $0.file) != instance(of: arriving.file) })
        let unlinked = try #require(try scenario.conteudos()[elsewhere.row])
        try scenario.withhold(arriving.file)

        let watch = try scenario.watch()
        // The first batch catches up with the whole store: every link but the withheld file's.
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
        #expect(try scenario.conteudos()[elsewhere.row] == scenario.expected[elsewhere.row])
        // Someone removes a link in another instance; then a file arrives in the first.
        let queue = try scenario.connection()
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE core_mensagem SET conteudo = ? WHERE id = ?", arguments: [unlinked, elsewhere.row])
        }
        try queue.close()
        try scenario.restore(arriving.file)
        #expect(
            watch.waitForError(containing: "file=\(arriving.file) message_id=\(arriving.row)"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
        let batchTwo = watch.stderr.split(separator: "\n").last { $0.contains("batch 2:") } ?? ""
        #expect(batchTwo.contains("(\(instance(of: arriving.file)), "), "\(watch.stderr)")
        // The batch synced that instance only: the other row is as the person left it.
        #expect(try scenario.conteudos()[elsewhere.row] == unlinked)
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")

        // A whole sync (what `--once` runs) puts the link back: every row as a one-shot sync leaves it.
        let once = try BinaryTests.run([
            "watch", "--once", "--media-root", scenario.store.mediaRoot, "--database", scenario.store.database,
            "--no-probe-cache",
        ])
        #expect(once.status == 0, "\(once.stderr)")
        #expect(try scenario.conteudos() == scenario.expected)
    }

    @Test(
        """
        A note whose bytes one new row declares is linked by its content, its instance not planned again; \
        a forwarded one (two rows declare its bytes) by its instance's batch; one whose row declares no \
        digest by its name; all as a whole sync plans them
        """
    )
    func linksByContent() async throws {
        let scenario = try await Scenario(seed: 64)
        #expect(scenario.linked.count >= 10)
        let single = scenario.linked[2]
        let forwarded = scenario.linked[5]
        let named = scenario.linked[8]
        for pair in [single, forwarded, named] { try scenario.holdOut(pair) }
        // `-v`: each batch's plan says "planned" on stderr, where `--json` puts no batch line.
        let watch = try scenario.watch(["--json", "-v"])
        #expect(watch.waitForError(containing: "[Sync] planned"), "\(watch.stderr)")
        let columns = Scenario.rowColumns
        // As the CRM inserts a message: a new row, its id after every other; then its file, whole.
        func insert(
            _ row: Int64, messageID: String = "h.message_id", chat: String = "h.chat_id",
            conteudo: String = "h.conteudo"
        ) throws -> Int64 {
            try scenario.execute(
                """
                INSERT INTO core_mensagem (\(columns))
                SELECT \(chat), \(messageID), remetente, tipo, \(conteudo), data_envio, from_me FROM held_\(row) h
                """)
            return try #require(try scenario.rows("SELECT max(id) FROM core_mensagem").first?[0] as Int64?)
        }
        let singleRow = try insert(single.row)
        try scenario.restore(single.file)
        #expect(watch.waitForError(containing: "file=\(single.file) message_id=\(singleRow)"), "\(watch.stderr)")

        // The same note forwarded to another chat: a second new row declaring the same bytes.
        let forwardedRow = try insert(forwarded.row)
        _ = try insert(
            forwarded.row, messageID: "'FWD' || h.message_id",
            chat: """
                COALESCE((SELECT other.id FROM core_chat other, core_chat own WHERE own.id = h.chat_id
                AND other.instance_id = own.instance_id AND other.id != own.id ORDER BY other.id LIMIT 1), h.chat_id)
                """)
        try scenario.restore(forwarded.file)
        #expect(
            watch.waitForError(containing: "file=\(forwarded.file) message_id=\(forwardedRow)"), "\(watch.stderr)")

        // A row from an older gateway, which declares no digest: its file is found by its name.
        let namedRow = try insert(named.row, conteudo: "json_remove(h.conteudo, '$.audioMessage.fileSha256')")
        try scenario.restore(named.file)
        #expect(watch.waitForError(containing: "file=\(named.file) message_id=\(namedRow)"), "\(watch.stderr)")
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        // Every batch's line follows the schema; the first content batch says so.
        let lines = end.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 4, "\(end.stdout)")
        for line in lines {
            try SchemaTests.check(
                BinaryTests.Outcome(status: 0, stdout: line, stderr: ""), against: "watch", "(a batch's line)")
        }
        let batches = try lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(batches.map { $0["by_content"] as? Bool } == [false, true, false, true])
        #expect(batches.map { $0["by_name"] as? Int } == [0, 0, 0, 1])
        #expect((batches[1]["linked"] as? [[String: Any]])?.first?["message_id"] as? Int == Int(singleRow))
        #expect((batches[2]["linked"] as? [[String: Any]])?.first?["message_id"] as? Int == Int(forwardedRow))
        #expect((batches[3]["linked"] as? [[String: Any]])?.first?["message_id"] as? Int == Int(namedRow))
        // A whole sync plans nothing more: each batch decided as it would have.
        try scenario.expectWholePlanLinksNothingMore()
        #expect(try scenario.runStatuses().allSatisfy { $0 == "finished" })
    }

    @Test(
        """
        A file no row names waits without its instance planned again at each new row of another \
        chat, or of its own chat that a note arriving with it takes; a new row its folder may hold \
        that nothing takes has its instance planned again
        """
    )
    func waitingFileAndNewRows() async throws {
        let scenario = try await Scenario(seed: 66)
        let chatFolder = Scenario.chatFolder
        let source = scenario.linked[1]
        let arriving = try #require(scenario.linked.last { chatFolder($0.file) != chatFolder(source.file) })
        let neighbour = try #require(
            scenario.linked.last { chatFolder($0.file) == chatFolder(source.file) && $0.row != source.row })
        try scenario.holdOut(arriving)
        try scenario.holdOut(neighbour)
        try scenario.execute("CREATE TABLE held_source AS SELECT * FROM core_mensagem WHERE id = \(source.row)")
        let watch = try scenario.watch(["-vv"])
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")

        // Half of a note under a name no row gives, in the source's chat folder: its instance's
        // batch leaves it waiting for its row.
        _ = try scenario.placeOrphan(beside: source.file)
        #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
        #expect(watch.stderr.contains("1 waiting for a message row"), "\(watch.stderr)")

        // A note and its row arrive in another chat: linked by its content, and no batch plans the
        // waiting file's instance again for that row.
        let arrivingRow = try scenario.insertHeldRow(of: arriving)
        try scenario.restore(arriving.file)
        #expect(
            watch.waitForError(containing: "file=\(arriving.file) message_id=\(arrivingRow)"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "batch 3:"), "\(watch.stderr)")

        // A note and its row arrive in the orphan's own chat: linked by its content, the row is
        // taken, no news to the waiting file, and its instance is not planned again.
        let neighbourRow = try scenario.insertHeldRow(of: neighbour)
        try scenario.restore(neighbour.file)
        #expect(
            watch.waitForError(containing: "file=\(neighbour.file) message_id=\(neighbourRow)"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "batch 4:"), "\(watch.stderr)")

        // A row of the orphan's chat that no file arrives with and its content cannot link (no
        // digest, another id): news to the waiting file, whose instance is planned again.
        try scenario.execute(
            """
            INSERT INTO core_mensagem (\(Scenario.rowColumns))
            SELECT chat_id, 'LATE' || message_id, remetente, tipo,
                   json_remove(conteudo, '$.audioMessage.fileSha256', '$.audioMessage.localPath'),
                   data_envio, from_me FROM held_source
            """)
        #expect(
            watch.waitForError(containing: "a new row may be the row a file waits for"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "batch 5:"), "\(watch.stderr)")
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        let batches = end.stderr.split(separator: "\n").filter { $0.contains("audiosync watch: batch ") }
        // Batches 3 and 4 linked the arrivals by their content; batch 5 planned the orphan's instance.
        #expect(batches.count == 5, "\(end.stderr)")
        #expect(batches.dropFirst(2).first?.contains("by content") == true, "\(batches)")
        #expect(batches.dropFirst(3).first?.contains("by content") == true, "\(batches)")
        #expect(batches.dropFirst(4).first?.contains("by content") == false, "\(batches)")
        // The only news to the waiting file was the row nothing took.
        let news = end.stderr.split(separator: "\n").filter { $0.contains("a new row may be the row a file waits for") }
        #expect(news.count == 1 && news.first?.contains("message_id=\(neighbourRow)") == false, "\(news)")
        // Neither row was taken for an edit the change counter could not tell apart from it.
        #expect(!end.stderr.contains("because=another connection committed"), "\(end.stderr)")
    }

    @Test(
        """
        An instance's batch that links a note writes through a connection of its own: its commit is not \
        taken for another connection's edit, which would plan the waiting files' instances again at once
        """
    )
    func ownCommitIsNoEdit() async throws {
        let scenario = try await Scenario(seed: 66)
        let chatFolder = Scenario.chatFolder
        let source = scenario.linked[1]
        let forwarded = try #require(scenario.linked.last { chatFolder($0.file) != chatFolder(source.file) })
        let arriving = try #require(
            scenario.linked.last { ![source.file, forwarded.file].map(chatFolder).contains(chatFolder($0.file)) })
        try scenario.holdOut(forwarded)
        try scenario.holdOut(arriving)
        // Polls slower than files settle: a content batch reads the forwarded note's rows before a
        // poll does, as on a loaded machine that wakes late with both due. Without warm plans: the
        // instance's batch is the one under test.
        let watch = try scenario.watch(["-vv", "--poll-interval", "2", "--no-warm"])
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")

        // A file no row gives waits for its row.
        _ = try scenario.placeOrphan(beside: source.file)
        #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
        #expect(watch.stderr.contains("1 waiting for a message row"), "\(watch.stderr)")

        // A forwarded note (two new rows declare its bytes): its instance's batch links it.
        let columns = Scenario.rowColumns
        _ = try scenario.insertHeldRow(of: forwarded)
        try scenario.execute(
            """
            INSERT INTO core_mensagem (\(columns))
            SELECT COALESCE((SELECT other.id FROM core_chat other, core_chat own WHERE own.id = h.chat_id
                   AND other.instance_id = own.instance_id AND other.id != own.id ORDER BY other.id LIMIT 1),
                   h.chat_id), 'FWD' || h.message_id, remetente, tipo, conteudo, data_envio, from_me
            FROM held_\(forwarded.row) h
            """)
        try scenario.restore(forwarded.file)
        #expect(watch.waitForError(containing: "batch 3:"), "\(watch.stderr)")
        #expect(watch.stderr.contains("file=\(forwarded.file)"), "\(watch.stderr)")
        let reread = "the change counter read again"
        let edit = "because=another connection committed"
        #expect(watch.waitForError(containingAny: [reread, edit]) == reread, "\(watch.stderr)")
        // The second row declaring its bytes, unlinked, is asked about once it has aged (perhaps while
        // the instance's batch was planned): that batch read it, so it is no news to the waiting file,
        // whatever the polls had read.
        let asked = "asked whether they are waiting files' rows"
        #expect(watch.stderr.contains(asked) || watch.waitForError(containing: asked), "\(watch.stderr)")

        // A note linked by its content afterwards; no batch planned the waiting file's instance again.
        _ = try scenario.insertHeldRow(of: arriving)
        try scenario.restore(arriving.file)
        #expect(watch.waitForError(containing: "batch 4:"), "\(watch.stderr)")
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        let batches = end.stderr.split(separator: "\n").filter { $0.contains("audiosync watch: batch ") }
        #expect(batches.count == 4 && batches.last?.contains("by content") == true, "\(end.stderr)")
        #expect(!end.stderr.contains(edit), "\(end.stderr)")
    }

    @Test(
        """
        While an instance's batch is planned, notes that arrive with their rows are linked by their content; \
        the instance's batch then ends as it would have, and no file is linked twice
        """
    )
    func contentBatchesBesideAnInstancesBatch() async throws {
        let scenario = try await Scenario(seed: 68)
        func chatFolder(_ file: String) -> String { file.split(separator: "/").prefix(4).joined(separator: "/") }
        let source = scenario.linked[0]
        let arriving = Array(scenario.linked.suffix(3))
        for pair in arriving { try scenario.withhold(pair.file) }
        let ids = arriving.map { String($0.row) }.joined(separator: ", ")
        try scenario.execute(
            "CREATE TABLE held_arriving AS SELECT * FROM core_mensagem WHERE id IN (\(ids)) ORDER BY id",
            "DELETE FROM core_mensagem WHERE id IN (\(ids))")
        let watch = try scenario.watch(["-vv", "--no-warm"])
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")

        // The probe cache held by another connection: the instance's batch stops at its scan (for
        // up to the cache's busy timeout), after it began; content batches do not read the cache.
        var held = Configuration()
        held.allowsUnsafeTransactions = true  // the transaction stays open between two accesses
        let cache = try DatabaseQueue(path: scenario.store.folder + "/cache.sqlite", configuration: held)
        try cache.inDatabase { try $0.execute(sql: "BEGIN EXCLUSIVE") }
        // Half of a note under a name no row gives: no row to link it by content, so its instance's
        // batch begins, in the same pass as the content batch that said so.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scenario.path(of: source.file)))
        let orphan = chatFolder(source.file) + "/audio/msg_0000ABCD_20250101_000000.ogg"
        let staged = scenario.held + "/orphan"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: staged))
        try FileManager.default.moveItem(atPath: staged, toPath: scenario.path(of: orphan))
        #expect(watch.waitForError(containing: "files=\(orphan)"), "\(watch.stderr)")

        // Meanwhile the notes arrive, each with its row, as the CRM inserts them: linked by content.
        let columns = Scenario.rowColumns
        try scenario.execute("INSERT INTO core_mensagem (\(columns)) SELECT \(columns) FROM held_arriving ORDER BY id")
        let newRows = try scenario.rows("SELECT id FROM core_mensagem ORDER BY id DESC LIMIT 3").map { $0[0] as Int64 }
        for pair in arriving { try scenario.restore(pair.file) }
        for (pair, row) in zip(arriving, newRows.sorted()) {
            #expect(watch.waitForError(containing: "file=\(pair.file) message_id=\(row)"), "\(watch.stderr)")
        }
        // The instance's batch has not ended: it is still at its scan.
        #expect(!watch.stderr.contains("waiting for a message row ("), "\(watch.stderr)")
        try cache.inDatabase { try $0.execute(sql: "COMMIT") }
        try cache.close()
        #expect(watch.waitForError(containing: "1 waiting for a message row ("), "\(watch.stderr)")
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        #expect(end.stderr.contains("by content"), "\(end.stderr)")
        // Each arrival linked once, to its new row; every run finished; no file named by two rows; and
        // a whole plan has nothing more to link.
        for file in arriving.map(\.file) {
            #expect(end.stderr.components(separatedBy: "file=\(file) message_id=").count == 2, "\(end.stderr)")
        }
        #expect(try scenario.runStatuses().allSatisfy { $0 == "finished" })
        let named = try scenario.conteudos().values.compactMap { conteudo -> String? in
            guard let data = conteudo?.data(using: .utf8),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let audio = object["audioMessage"] as? [String: Any]
            else { return nil }
            return audio["localPath"] as? String
        }
        #expect(Set(named).count == named.count)
        try scenario.expectWholePlanLinksNothingMore()
    }

    @Test(
        """
        A watch after a sync starts from the sync's last whole plan: its first batch takes the note that \
        came meanwhile as an addition, without a whole plan, and a later note is linked by its content, \
        as a whole sync links them
        """
    )
    func startsFromTheLastWholePlan() async throws {
        let scenario = try await Scenario(seed: 66)
        let (early, late) = (scenario.linked[3], scenario.linked[7])
        try scenario.holdOut(early)
        try scenario.holdOut(late)
        // Two syncs with the watch's probe cache: the second has nothing to write, and leaves the base.
        // Run from the database's folder and given its name only, where the watch is given the whole
        // path: the same database, the same memory.
        let database = URL(fileURLWithPath: scenario.store.database)
        for _ in 0..<2 {
            let sync = try BinaryTests.run(
                [
                    "sync", "--media-root", scenario.store.mediaRoot, "--database", database.lastPathComponent,
                    "--probe-cache", scenario.store.folder + "/cache.sqlite",
                ], in: database.deletingLastPathComponent().path)
            #expect(sync.status == 0, "\(sync.stderr)")
        }
        // As the CRM inserts a message, its id after every other; then its file comes, whole.
        func putBack(_ pair: (row: Int64, file: String)) throws -> Int64 {
            let row = try scenario.insertHeldRow(of: pair)
            try scenario.restore(pair.file)
            return row
        }
        // A note that came while nothing watched: the first batch takes it as an addition.
        let earlyRow = try putBack(early)
        let watch = try scenario.watch(["--json", "-v"])
        #expect(watch.waitForError(containing: "started from the last whole plan"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "file=\(early.file) message_id=\(earlyRow)"), "\(watch.stderr)")
        let lateRow = try putBack(late)
        #expect(watch.waitForError(containing: "file=\(late.file) message_id=\(lateRow)"), "\(watch.stderr)")
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        #expect(end.stderr.contains("additions=1"), "\(end.stderr)")
        let batches = try end.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        // The first batch linked the addition alone, and says where it started from; the late note was
        // linked by its content, which needs the memory of a whole plan: the base's, restored and
        // brought up to the addition.
        #expect(batches.map { $0["by_content"] as? Bool } == [false, true], "\(end.stdout)")
        #expect(batches.map { $0["from_last_plan"] as? Bool } == [true, false])
        #expect(batches.first?["planned_links"] as? Int == 1)
        for line in end.stdout.split(separator: "\n") {
            try SchemaTests.check(
                BinaryTests.Outcome(status: 0, stdout: String(line), stderr: ""), against: "watch", "(a batch's line)")
        }
        try scenario.expectWholePlanLinksNothingMore()
    }

    @Test(
        """
        A watch's first whole plan with nothing to write leaves the base from what it observed, and the \
        next watch starts from that base and links a new note by its content
        """
    )
    func firstWholePlanLeavesTheBase() async throws {
        let scenario = try await Scenario(seed: 67)
        let pair = scenario.linked[4]
        try scenario.holdOut(pair)
        // Synced without the watch's probe cache: the watch finds nothing remembered there.
        let sync = try BinaryTests.run([
            "sync", "--media-root", scenario.store.mediaRoot, "--database", scenario.store.database, "--no-probe-cache",
        ])
        #expect(sync.status == 0, "\(sync.stderr)")
        let first = try scenario.watch(["-vv"])
        #expect(first.waitForError(containing: "remembered the base for additions"), "\(first.stderr)")
        kill(first.pid, SIGTERM)
        let firstEnd = first.finish()
        #expect(!firstEnd.signalled && firstEnd.status == 0, "\(firstEnd.stderr)")
        #expect(!firstEnd.stderr.contains("started from the last whole plan"))
        #expect(!firstEnd.stderr.contains("from the last whole plan,"), "the batch line says nothing of it either")

        let second = try scenario.watch(["--json", "-v"])
        #expect(second.waitForError(containing: "started from the last whole plan"), "\(second.stderr)")
        let row = try scenario.insertHeldRow(of: pair)
        try scenario.restore(pair.file)
        #expect(second.waitForError(containing: "file=\(pair.file) message_id=\(row)"), "\(second.stderr)")
        kill(second.pid, SIGTERM)
        let end = second.finish()
        #expect(!end.signalled && end.status == 0, "\(end.stderr)")
        let batches = try end.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(batches.map { $0["by_content"] as? Bool } == [false, true], "\(end.stdout)")
        #expect(batches.map { $0["from_last_plan"] as? Bool } == [true, false])
        try scenario.expectWholePlanLinksNothingMore()
    }

    @Test(
        """
        A watch started from the last whole plan plans each instance once to keep it warm; a note whose \
        second download is already in its chat folder is then linked by its instance's warm plan, not \
        by planning the instance again, the copy standing behind it, as in a whole plan
        """
    )
    func warmPlanLinksBesideASecondDownload() async throws {
        let scenario = try await Scenario(seed: 69)
        let arriving = try #require(scenario.linked.last)
        try scenario.holdOut(arriving)
        // The second download: the note's bytes, under its name two seconds later.
        let name = try #require(arriving.file.split(separator: "/").last.map(String.init))
        let parts = name.split(separator: "_")
        let clock = try #require(Int(parts[3].prefix(6)))
        let seconds = (clock / 10_000 * 3_600 + clock / 100 % 100 * 60 + clock % 100 + 2) % 86_400
        let later = String(format: "%02d%02d%02d", seconds / 3_600, seconds / 60 % 60, seconds % 60)
        let copy = Scenario.chatFolder(arriving.file) + "/" + "\(parts[0])_\(parts[1])_\(parts[2])_\(later).ogg"
        try scenario.heldBytes(arriving.file).write(to: URL(fileURLWithPath: scenario.path(of: copy)))
        // Two syncs with the watch's probe cache: the second has nothing to write, and leaves the base.
        for _ in 0..<2 {
            let sync = try BinaryTests.run([
                "sync", "--media-root", scenario.store.mediaRoot, "--database", scenario.store.database,
                "--probe-cache", scenario.store.folder + "/cache.sqlite",
            ])
            #expect(sync.status == 0, "\(sync.stderr)")
        }

        let watch = try scenario.watch(["-vv"])
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
        #expect(watch.stderr.contains("from the last whole plan"), "\(watch.stderr)")
        #expect(watch.waitForError(containing: "every instance is warm"), "\(watch.stderr)")
        #expect(watch.stderr.contains("planned to keep warm"), "\(watch.stderr)")
        let row = try scenario.insertHeldRow(of: arriving)
        try scenario.restore(arriving.file)
        #expect(watch.waitForError(containing: "file=\(arriving.file) message_id=\(row)"), "\(watch.stderr)")
        #expect(watch.stderr.contains("a file with the same bytes is in its chat folder"), "\(watch.stderr)")
        #expect(watch.stderr.contains("[Sync] warm batch"), "\(watch.stderr)")
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        // Planned by the warm plan, not by planning the instance again.
        let batch = end.stderr.split(separator: "\n").first { $0.contains("batch 2:") } ?? ""
        #expect(batch.contains("warm plan") && batch.contains("1 linked"), "\(end.stderr)")
        #expect(!end.stderr.contains("cannot stand in"), "\(end.stderr)")
        try scenario.expectWholePlanLinksNothingMore()
    }

    @Test("A batch in an instance folder the database does not know syncs the whole store, and says so")
    func unknownInstanceFolderSyncsWhole() async throws {
        let scenario = try await Scenario(seed: 63, defects: [.hash8Derivations])
        let elsewhere = try #require(scenario.linked.first)
        let unlinked = try #require(try scenario.conteudos()[elsewhere.row])
        let client = try #require(elsewhere.file.split(separator: "/").first)
        let watch = try scenario.watch()
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
        // A link removed by hand, then a note lands in an instance folder made before its row: a
        // scoped run would refuse the instance, so the batch syncs the whole store and restores it.
        let queue = try scenario.connection()
        try await queue.write { db in
            try db.execute(
                sql: "UPDATE core_mensagem SET conteudo = ? WHERE id = ?", arguments: [unlinked, elsewhere.row])
        }
        try queue.close()
        let folder = scenario.store.mediaRoot + "/\(client)/instance_NOT-IN-THE-DATABASE/5511999999999"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let staged = scenario.store.folder + "/new-note.ogg"
        try FileManager.default.copyItem(atPath: scenario.path(of: elsewhere.file), toPath: staged)
        try FileManager.default.moveItem(atPath: staged, toPath: folder + "/msg_0A1B2C3D_20250101_120000.ogg")
        #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
        let batchTwo = watch.stderr.split(separator: "\n").last { $0.contains("batch 2:") } ?? ""
        #expect(!batchTwo.contains("instance_NOT-IN-THE-DATABASE"), "\(watch.stderr)")
        #expect(try scenario.conteudos()[elsewhere.row] == scenario.expected[elsewhere.row])
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
    }

    @Test("--once links what is there, prints one JSON line with --json, and exits 0")
    func once() async throws {
        let scenario = try await Scenario(seed: 62)
        let outcome = try BinaryTests.run([
            "watch", "--once", "--json", "--media-root", scenario.store.mediaRoot, "--database",
            scenario.store.database, "--no-probe-cache",
        ])
        // One JSON line, following its schema, naming every link the one-shot sync made.
        try SchemaTests.check(outcome, against: "watch", "(--once, links)")
        let line = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let links = try #require(line["linked"] as? [[String: Any]])
        #expect(links.map { $0["file"] as? String } == scenario.linked.map(\.file))
        #expect(links.map { ($0["message_id"] as? Int).map(Int64.init) } == scenario.linked.map(\.row))
        #expect(try scenario.conteudos() == scenario.expected)
        #expect(try scenario.runStatuses() == ["finished"])
    }

    @Test("SIGTERM mid-batch: the batch in flight commits, the run is interrupted, rows whole, exit 0")
    func stopMidBatch() async throws {
        let store = try await TestStore(messages: 2_000, files: 600, chats: 30, seed: 63)
        let original = try store.conteudos()
        let watch = try RunningBinary([
            "watch", "--media-root", store.mediaRoot, "--database", store.database, "--batch-size", "1",
            "--busy-timeout", "600000", "--probe-cache", store.folder + "/cache.sqlite",
        ])
        let process = watch.process
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(120)) {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        let pacer = try SQLiteWritePacer(database: store.database)
        pacer.holdOnce(journalled: 20, while: watch.process)
        kill(watch.pid, SIGTERM)
        let heard = watch.waitForError(containing: "stopping after the batch in flight")
        pacer.release()
        try pacer.close()
        let end = watch.finish()
        #expect(heard, "\(end.stderr)")
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        #expect(try FaultTests.runStatuses(store.database) == ["interrupted"])
        let now = try store.conteudos()
        let changed = now.filter { original[$0.key] != $0.value }
        let journalled = try FaultTests.journalled(store.database)
        #expect(changed.count >= 20 && changed.count == journalled)
        // Each changed row is the journal's new value, whole.
        let journal = try FaultTests.sqlite(store.database, "SELECT message_id, new_conteudo FROM audiosync_change")
        let written = Dictionary(uniqueKeysWithValues: journal.map { ($0[0] as Int64, $0[1] as String) })
        for (row, conteudo) in changed { #expect(written[row] == conteudo) }
        #expect(end.stderr.contains("\(changed.count) rows written"), "\(end.stderr)")
    }

    @Test("SQLite: a row made an audio row after its file arrived (an edit, no new id) is linked")
    func linksAfterAnEditedRow() async throws {
        let scenario = try await Scenario(seed: 68)
        let edited = scenario.linked[scenario.linked.count / 2]
        // The CRM makes it an audio row: another connection's commit, which the watch notices.
        let log = try scenario.linkedAfterAnEdit(
            edited, before: "UPDATE core_mensagem SET tipo = 'texto' WHERE id = \(edited.row)",
            after: "UPDATE core_mensagem SET tipo = 'audio' WHERE id = \(edited.row)")
        // Its instance's rows were read again: none the warm plan had read changed, and the row it
        // had never seen was taken as a new one, so the warm plan linked it.
        #expect(log.contains("none changed below what its warm plan read"), "\(log)")
        #expect(log.contains("rows_taken=1"), "\(log)")
    }

    @Test(
        """
        SQLite: a row the warm plan read, moved to another chat of its instance and back after its file \
        arrived, is read again, found changed, and its instance planned whole: the file is linked
        """)
    func linksAfterARowChangedBelowTheWarmPlan() async throws {
        let scenario = try await Scenario(seed: 68)
        let moved = scenario.linked[scenario.linked.count / 2]
        let chats = try scenario.rows(
            """
            SELECT m.chat_id, other.id FROM core_mensagem m JOIN core_chat c ON c.id = m.chat_id
            JOIN core_chat other ON other.instance_id IS c.instance_id AND other.cliente_id = c.cliente_id
                AND other.id != c.id
            WHERE m.id = \(moved.row) LIMIT 1
            """)
        let (own, other) = try #require(chats.first.map { ($0[0] as Int64, $0[1] as Int64) })
        // In another chat the row is not the file's: it waits until the row is moved back.
        let log = try scenario.linkedAfterAnEdit(
            moved, before: "UPDATE core_mensagem SET chat_id = \(other) WHERE id = \(moved.row)",
            after: "UPDATE core_mensagem SET chat_id = \(own) WHERE id = \(moved.row)")
        #expect(log.contains("what=row \(moved.row) changed"), "\(log)")
    }

    @Test("A watch and a manual sync at the same time lose nothing")
    func watchBesideASync() async throws {
        let scenario = try await Scenario(seed: 64)
        let files = scenario.linked.prefix(12).map(\.file)
        for file in files { try scenario.withhold(file) }
        let watch = try scenario.watch()
        #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
        for file in files { try scenario.restore(file) }
        let sync = try BinaryTests.run([
            "sync", "--media-root", scenario.store.mediaRoot, "--database", scenario.store.database,
            "--no-probe-cache",
        ])
        // 75: the watch's batch held the lock; it links the files itself.
        #expect(sync.status == 0 || sync.status == 75, "\(sync.status) \(sync.stderr)")
        // Both write; wait until the rows are what a sync of the whole store makes (guarded).
        var rows = try scenario.conteudos()
        let deadline = Date().addingTimeInterval(90)
        while rows != scenario.expected && Date() < deadline {
            usleep(50_000)
            rows = try scenario.conteudos()
        }
        #expect(rows == scenario.expected)
        kill(watch.pid, SIGTERM)
        let end = watch.finish()
        #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
        let statuses = try scenario.runStatuses()
        #expect(!statuses.contains("running") && !statuses.isEmpty, "\(statuses)")
        #expect(try scenario.conteudos() == scenario.expected)
    }
}

extension PostgresSyncTests {
    @Test("watch against PostgreSQL: a new file is linked; a file waits for its row, which comes later")
    func watchLinksArrivals() async throws {
        let store = try await PostgresTestStore(seed: 65, messages: 200, files: 60, defects: [])
        try await Self.with(store) { store in
            let storeArguments = ["--media-root", store.summary.mediaRoot, "--database", store.url, "--no-probe-cache"]
            let linked = try Self.plannedLinks(storeArguments)
            #expect(linked.count >= 10)
            let early = linked[0]
            let late = linked[linked.count - 1]
            let held = store.folder + "/held"
            try FileManager.default.createDirectory(atPath: held, withIntermediateDirectories: true)
            for file in [early.file, late.file] {
                try FileManager.default.moveItem(
                    atPath: store.summary.mediaRoot + "/" + file, toPath: held + "/" + WatchTests.Scenario.key(file))
            }
            func restore(_ file: String) throws {
                try FileManager.default.moveItem(
                    atPath: held + "/" + WatchTests.Scenario.key(file), toPath: store.summary.mediaRoot + "/" + file)
            }
            try await Admin.execute(
                "CREATE TABLE held_rows AS SELECT * FROM core_mensagem WHERE id >= \(late.row)", server: store.url)
            try await Admin.execute("DELETE FROM core_mensagem WHERE id >= \(late.row)", server: store.url)

            let watch = try RunningBinary(
                ["watch", "--poll-interval", "0.1", "--settle", "0.2"] + storeArguments,
                environment: ["XDG_CONFIG_HOME": NSTemporaryDirectory() + "audiosync-no-config"])
            let process = watch.process
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(120)) {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
            try restore(early.file)
            #expect(watch.waitForError(containing: "file=\(early.file) message_id=\(early.row)"), "\(watch.stderr)")
            #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
            try restore(late.file)
            #expect(watch.waitForError(containing: "batch 3:"), "\(watch.stderr)")
            #expect(watch.stderr.contains("1 waiting for a message row"), "\(watch.stderr)")
            try await Admin.execute("INSERT INTO core_mensagem SELECT * FROM held_rows", server: store.url)
            #expect(watch.waitForError(containing: "file=\(late.file) message_id=\(late.row)"), "\(watch.stderr)")
            #expect(watch.waitForError(containing: "batch 4:"), "\(watch.stderr)")
            kill(watch.pid, SIGTERM)
            let end = watch.finish()
            #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
            let runs = try await Admin.rows("SELECT id, status FROM audiosync_run", url: store.url)
            #expect(runs.count == 3 && runs.values.allSatisfy { $0 == "finished" }, "\(runs)")
            let rows = try await store.conteudos()
            for link in [early, late] {
                #expect(rows[link.row]?.contains(link.file) == true, "row \(link.row)")
            }
        }
    }

    @Test(
        """
        watch against PostgreSQL, without a trigger: a row committed after a row of a higher id was read \
        (two CRM workers saving at once) is found: the file waiting for it is linked, and a file after it \
        is linked by its bytes
        """
    )
    func watchFindsRowsCommittedLate() async throws {
        let store = try await PostgresTestStore(seed: 68, messages: 200, files: 60, defects: [])
        try await Self.with(store) { store in
            let storeArguments = ["--media-root", store.summary.mediaRoot, "--database", store.url, "--no-probe-cache"]
            let linked = try Self.plannedLinks(storeArguments).sorted { $0.row < $1.row }
            #expect(linked.count >= 10)
            // Rows with rows of higher ids after them: when they come back under their own ids, the
            // highest id does not move. The first's file comes before its row, the second's after.
            let late = linked[linked.count / 2]
            let lateFirst = linked[linked.count / 3]
            func held(_ file: String) -> String { store.folder + "/held-" + WatchTests.Scenario.key(file) }
            for pair in [late, lateFirst] {
                try FileManager.default.moveItem(
                    atPath: store.summary.mediaRoot + "/" + pair.file, toPath: held(pair.file))
                try await Admin.execute(
                    "CREATE TABLE held_\(pair.row) AS SELECT * FROM core_mensagem WHERE id = \(pair.row)",
                    server: store.url)
                try await Admin.execute("DELETE FROM core_mensagem WHERE id = \(pair.row)", server: store.url)
            }

            let watch = try RunningBinary(
                ["watch", "-vv", "--poll-interval", "0.1", "--settle", "0.2"] + storeArguments,
                environment: ["XDG_CONFIG_HOME": NSTemporaryDirectory() + "audiosync-no-config"])
            let process = watch.process
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(120)) {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
            try FileManager.default.moveItem(atPath: held(late.file), toPath: store.summary.mediaRoot + "/" + late.file)
            #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
            #expect(watch.stderr.contains("1 waiting for a message row"), "\(watch.stderr)")
            try await Admin.execute("INSERT INTO core_mensagem SELECT * FROM held_\(late.row)", server: store.url)
            #expect(watch.waitForError(containing: "file=\(late.file) message_id=\(late.row)"), "\(watch.stderr)")
            // A row that comes late before its file: the next content batch reads it, and links the
            // file by its bytes.
            try await Admin.execute("INSERT INTO core_mensagem SELECT * FROM held_\(lateFirst.row)", server: store.url)
            #expect(watch.waitForError(containing: "rows committed after a row of a higher id"), "\(watch.stderr)")
            try FileManager.default.moveItem(
                atPath: held(lateFirst.file), toPath: store.summary.mediaRoot + "/" + lateFirst.file)
            #expect(
                watch.waitForError(containing: "file=\(lateFirst.file) message_id=\(lateFirst.row)"), "\(watch.stderr)")
            let line = watch.waitForError(containingAny: ["audiosync watch: batch "])
            #expect(line != nil)
            let batchLine = watch.stderr.split(separator: "\n").last { $0.contains("audiosync watch: batch ") }
            #expect(batchLine?.contains("by content") == true, "\(batchLine ?? "")")
            kill(watch.pid, SIGTERM)
            let end = watch.finish()
            #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
            let rows = try await store.conteudos()
            for pair in [late, lateFirst] { #expect(rows[pair.row]?.contains(pair.file) == true, "row \(pair.row)") }
        }
    }

    @Test("watch --install-trigger: a row made an audio row after its file arrived (no new id) is linked")
    func watchHearsEditedRows() async throws {
        let store = try await PostgresTestStore(seed: 66, messages: 200, files: 60, defects: [])
        try await Self.with(store) { store in
            let storeArguments = ["--media-root", store.summary.mediaRoot, "--database", store.url, "--no-probe-cache"]
            let linked = try Self.plannedLinks(storeArguments)
            #expect(linked.count >= 10)
            let edited = linked[linked.count / 2]
            let held = store.folder + "/held-" + WatchTests.Scenario.key(edited.file)
            try FileManager.default.moveItem(atPath: store.summary.mediaRoot + "/" + edited.file, toPath: held)
            // The CRM wrote the row as something else first; it becomes an audio row later, an edit
            // the highest row id does not show.
            try await Admin.execute(
                "UPDATE core_mensagem SET tipo = 'texto' WHERE id = \(edited.row)", server: store.url)

            let watch = try RunningBinary(
                ["watch", "--install-trigger", "--poll-interval", "0.1", "--settle", "0.2"] + storeArguments,
                environment: ["XDG_CONFIG_HOME": NSTemporaryDirectory() + "audiosync-no-config"])
            let process = watch.process
            DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(120)) {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
            #expect(watch.waitForError(containing: "batch 1:"), "\(watch.stderr)")
            #expect(watch.stderr.contains("audio rows as the database announces them"), "\(watch.stderr)")
            try FileManager.default.moveItem(atPath: held, toPath: store.summary.mediaRoot + "/" + edited.file)
            #expect(watch.waitForError(containing: "batch 2:"), "\(watch.stderr)")
            #expect(watch.stderr.contains("1 waiting for a message row"), "\(watch.stderr)")
            try await Admin.execute(
                "UPDATE core_mensagem SET tipo = 'audio' WHERE id = \(edited.row)", server: store.url)
            #expect(
                watch.waitForError(containing: "file=\(edited.file) message_id=\(edited.row)"), "\(watch.stderr)")
            kill(watch.pid, SIGTERM)
            let end = watch.finish()
            #expect(!end.signalled && end.status == 0, "\(end.status) \(end.stderr)")
            let triggers = try await Admin.rows(
                "SELECT oid::int8, tgname::text FROM pg_trigger WHERE tgname = 'audiosync_row_notify'", url: store.url)
            #expect(triggers.count == 1)
        }
    }

    @Test("--install-trigger on SQLite is a usage error that says why, and nothing runs")
    func installTriggerNeedsPostgres() async throws {
        let store = try await TestStore(messages: 100, files: 30, chats: 4, seed: 67)
        let before = try store.databaseDigest()
        let outcome = try BinaryTests.run([
            "watch", "--once", "--install-trigger", "--media-root", store.mediaRoot, "--database", store.database,
            "--no-probe-cache",
        ])
        #expect(outcome.status == 64, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("needs a PostgreSQL database"), "\(outcome.stderr)")
        #expect(try store.databaseDigest() == before)
    }

    /// What a sync would link, read from a dry run's `--json`: row and file, by row.
    static func plannedLinks(_ storeArguments: [String]) throws -> [(row: Int64, file: String)] {
        let dry = try BinaryTests.run(["sync", "-n", "--json"] + storeArguments)
        let document = try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any]
        let links = try #require((document?["plan"] as? [String: Any])?["links"] as? [[String: Any]])
        return links.compactMap { link -> (row: Int64, file: String)? in
            guard let row = link["message_id"] as? Int, let file = link["file"] as? String else { return nil }
            return (Int64(row), file)
        }.sorted { $0.row < $1.row }
    }
}
