import AsyncHTTPClient
import Foundation
import GRDB
import NIOHTTP1
import Serve
import Testing

/// The CRM's audio endpoint against a real listening server on a generated, synced store: the
/// bytes, ranges and validators a browser relies on, and every case where no file is served.
@Suite(.serialized)
struct AudioEndpointTests {
    /// Files and links the tests need beside the generated ones, under `_served/` (a folder the scan
    /// skips: it is not `<client>/instance_…/chats/…`).
    struct Fixture {
        let store: ServedStore
        let server: RunningServer
        /// Row → the file bytes it serves.
        let ogg: (row: Int64, bytes: [UInt8])
        let oggAsMP3: Int64
        let unlinked: Int64
        let missing: Int64
        let traversal: Int64
        let symlinkOut: Int64
        let notAudioFile: Int64
        let textRow: Int64
        /// An audio row that holds a legacy caption (`[Áudio]`) instead of JSON: a voice note not linked yet.
        let captionRow: Int64
        let outside: String

        static func make() async throws -> Fixture {
            let store = try await ServedStore()
            let root = store.mediaRoot
            let fm = FileManager.default
            try fm.createDirectory(atPath: root + "/_served", withIntermediateDirectories: true)
            // A real generated note, its bytes copied under two names.
            let note = try #require(
                fm.enumerator(atPath: root)?.compactMap { $0 as? String }.first { $0.hasSuffix(".ogg") })
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: root + "/" + note)))
            try Data(bytes).write(to: URL(fileURLWithPath: root + "/_served/note.ogg"))
            try Data(bytes).write(to: URL(fileURLWithPath: root + "/_served/ogg-saved-as.mp3"))
            try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: root + "/_served/notes.txt"))
            let outside = store.folder + "/outside.ogg"
            try Data(bytes).write(to: URL(fileURLWithPath: outside))
            try fm.createSymbolicLink(atPath: root + "/_served/out.ogg", withDestinationPath: outside)

            // Audio rows with no link yet, and a row that is not audio.
            let (rows, textRow): ([Int64], Int64) = try store.read { db in
                let unlinked = try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM core_mensagem WHERE tipo = 'audio' AND conteudo LIKE '{%'
                          AND conteudo NOT LIKE '%localPath%' ORDER BY id LIMIT 8
                        """)
                let text = try #require(
                    try Int64.fetchOne(db, sql: "SELECT id FROM core_mensagem WHERE tipo <> 'audio'"))
                return (unlinked, text)
            }
            try #require(rows.count == 8)
            try await DatabaseQueue(path: store.databasePath).write { db in
                try db.execute(sql: "UPDATE core_mensagem SET conteudo = '[Áudio]' WHERE id = ?", arguments: [rows[7]])
            }
            try await store.link([
                (rows[0], "_served/note.ogg"), (rows[1], "_served/ogg-saved-as.mp3"), (rows[2], "_served/gone.ogg"),
                (rows[3], "_served/../../messages.sqlite"), (rows[4], "_served/out.ogg"),
                (rows[5], "_served/notes.txt"),
            ])
            let server = try await RunningServer.start(store.configuration())
            return Fixture(
                store: store, server: server, ogg: (rows[0], bytes), oggAsMP3: rows[1], unlinked: rows[6],
                missing: rows[2], traversal: rows[3], symlinkOut: rows[4], notAudioFile: rows[5], textRow: textRow,
                captionRow: rows[7], outside: outside)
        }

        func url(_ row: Int64) -> String { "\(server.base)/api/audio/hash-mapping/\(row)/" }
    }

    @Test("Full, single, suffix, open-ended and unsatisfiable ranges, and HEAD")
    func ranges() async throws {
        let fixture = try await Fixture.make()
        let url = fixture.url(fixture.ogg.row)
        let bytes = fixture.ogg.bytes
        let size = bytes.count

        let full = try await Client.send(url)
        #expect(full.status == .ok)
        #expect(full.body == bytes)
        #expect(full.header("Content-Type") == "audio/ogg; codecs=opus")
        #expect(full.header("Accept-Ranges") == "bytes")
        #expect(full.header("Content-Length") == String(size))
        #expect(full.header("ETag") != nil && full.header("Last-Modified") != nil)

        let single = try await Client.send(url, headers: [("Range", "bytes=10-99")])
        #expect(single.status == .partialContent)
        #expect(single.header("Content-Range") == "bytes 10-99/\(size)")
        #expect(single.body == Array(bytes[10...99]))

        let suffix = try await Client.send(url, headers: [("Range", "bytes=-100")])
        #expect(suffix.status == .partialContent)
        #expect(suffix.header("Content-Range") == "bytes \(size - 100)-\(size - 1)/\(size)")
        #expect(suffix.body == Array(bytes[(size - 100)...]))

        let longSuffix = try await Client.send(url, headers: [("Range", "bytes=-\(size * 4)")])
        #expect(longSuffix.status == .partialContent && longSuffix.body == bytes)

        let open = try await Client.send(url, headers: [("Range", "bytes=100-")])
        #expect(open.status == .partialContent)
        #expect(open.header("Content-Range") == "bytes 100-\(size - 1)/\(size)")
        #expect(open.body == Array(bytes[100...]))

        let pastEnd = try await Client.send(url, headers: [("Range", "bytes=\(size - 10)-\(size + 500)")])
        #expect(pastEnd.status == .partialContent && pastEnd.body == Array(bytes[(size - 10)...]))

        for header in ["bytes=\(size)-", "bytes=\(size + 1)-\(size + 9)", "bytes=-0"] {
            let unsatisfiable = try await Client.send(url, headers: [("Range", header)])
            #expect(unsatisfiable.status == .rangeNotSatisfiable, "\(header)")
            #expect(unsatisfiable.header("Content-Range") == "bytes */\(size)", "\(header)")
            #expect(unsatisfiable.body.isEmpty)
        }
        // Ranges a server may ignore: answered whole.
        for header in ["bytes=0-1,5-6", "bytes=9-2", "items=0-1", "bytes=x-"] {
            let ignored = try await Client.send(url, headers: [("Range", header)])
            #expect(ignored.status == .ok && ignored.body == bytes, "\(header)")
        }

        let head = try await Client.send(url, method: .HEAD)
        #expect(head.status == .ok)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == String(size))
        #expect(head.header("Content-Type") == "audio/ogg; codecs=opus")
        try await fixture.server.stop()
    }

    @Test("ETag and Last-Modified: 304, If-Range, and a file changed on disk after the ETag was taken")
    func validators() async throws {
        let fixture = try await Fixture.make()
        let url = fixture.url(fixture.ogg.row)
        let first = try await Client.send(url)
        let etag = try #require(first.header("ETag"))
        let modified = try #require(first.header("Last-Modified"))

        #expect(try await Client.send(url, headers: [("If-None-Match", etag)]).status == .notModified)
        #expect(try await Client.send(url, headers: [("If-Modified-Since", modified)]).status == .notModified)
        let current = try await Client.send(url, headers: [("Range", "bytes=0-9"), ("If-Range", etag)])
        #expect(current.status == .partialContent && current.body == Array(fixture.ogg.bytes[0...9]))
        let stale = try await Client.send(
            url, headers: [("Range", "bytes=0-9"), ("If-Range", #"W/"0123456789abcdef0123456789abcdef""#)])
        #expect(stale.status == .ok && stale.body == fixture.ogg.bytes)

        // The file is rewritten in place: other bytes, same size, a later time.
        let path = fixture.store.mediaRoot + "/_served/note.ogg"
        var changed = fixture.ogg.bytes
        changed[200] ^= 0xFF
        try Data(changed).write(to: URL(fileURLWithPath: path))
        let earlier = try #require(
            try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        try FileManager.default.setAttributes([.modificationDate: earlier.addingTimeInterval(2)], ofItemAtPath: path)

        let revalidated = try await Client.send(url, headers: [("If-None-Match", etag)])
        #expect(revalidated.status == .ok)
        #expect(revalidated.body == changed)
        #expect(revalidated.header("ETag") != etag)
        let resumed = try await Client.send(url, headers: [("Range", "bytes=0-9"), ("If-Range", etag)])
        #expect(resumed.status == .ok, "a stale If-Range gets the whole new file")
        #expect(resumed.body == changed)
        try await fixture.server.stop()
    }

    @Test("Content-Type comes from the bytes: Ogg Opus saved as .mp3 is audio/ogg; codecs=opus")
    func contentTypeFromBytes() async throws {
        let fixture = try await Fixture.make()
        let reply = try await Client.send(fixture.url(fixture.oggAsMP3))
        #expect(reply.status == .ok)
        #expect(reply.header("Content-Type") == "audio/ogg; codecs=opus")
        #expect(reply.body == fixture.ogg.bytes)
        try await fixture.server.stop()
    }

    @Test("No link, a missing file, a traversal, a symlink out, not audio: a 404 that says which, never a guess")
    func refusals() async throws {
        let fixture = try await Fixture.make()
        let cases: [(Int64, HTTPResponseStatus, String)] = [
            (fixture.unlinked, .notFound, "no_link"),
            (fixture.captionRow, .notFound, "no_link"),
            (fixture.missing, .notFound, "missing_file"),
            (fixture.traversal, .notFound, "unsafe_path"),
            (fixture.symlinkOut, .notFound, "outside_root"),
            (fixture.notAudioFile, .notFound, "not_audio_file"),
            (fixture.textRow, .notFound, "not_audio"),
            (99_999_999, .notFound, "no_message"),
        ]
        for (row, status, error) in cases {
            for method in [HTTPMethod.GET, .HEAD] {
                let reply = try await Client.send(fixture.url(row), method: method)
                #expect(reply.status == status, "row \(row): \(error)")
                if method == .GET {
                    #expect(reply.json["error"] as? String == error, "row \(row)")
                    #expect((reply.json["message"] as? String)?.isEmpty == false)
                    #expect(reply.header("Content-Type")?.hasPrefix("application/json") == true)
                    // Nothing of the outside file, nor of the database, is ever in a body.
                    #expect(!reply.text.contains("OggS") && !reply.text.contains("SQLite format"))
                }
            }
        }
        let bad = try await Client.send("\(fixture.server.base)/api/audio/hash-mapping/abc/")
        #expect(bad.status == .badRequest && bad.json["error"] as? String == "bad_id")
        try await fixture.server.stop()
    }

    @Test("CORS for the CRM's origin on the audio endpoint only")
    func cors() async throws {
        let store = try await ServedStore()
        let server = try await RunningServer.start(store.configuration(corsOrigin: "https://crm.example"))
        let row = try #require(
            try store.read { db in
                try Int64.fetchOne(db, sql: "SELECT message_id FROM audiosync_change WHERE action = 'link' ORDER BY id")
            })
        let url = "\(server.base)/api/audio/hash-mapping/\(row)/"
        let reply = try await Client.send(url, headers: [("Origin", "https://crm.example")])
        #expect(reply.status == .ok)
        #expect(reply.header("Access-Control-Allow-Origin") == "https://crm.example")
        let preflight = try await Client.send(
            url, method: .OPTIONS,
            headers: [("Origin", "https://crm.example"), ("Access-Control-Request-Method", "GET")])
        #expect(preflight.status == .noContent)
        #expect(preflight.header("Access-Control-Allow-Methods")?.contains("GET") == true)
        let items = try await Client.send(
            "\(server.base)/api/review/items?limit=1", headers: [("Origin", "https://crm.example")])
        #expect(items.status == .ok)
        #expect(items.header("Access-Control-Allow-Origin") == nil)
        try await server.stop()
    }
}
