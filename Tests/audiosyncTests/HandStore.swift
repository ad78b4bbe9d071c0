import Crypto
import Foundation
import GRDB
import MatchEngine
import MediaStore
import MessageStore
import StoreFixtures
import Sync

#if canImport(Glibc)
    import Glibc
#endif

/// A store written by hand, note by note, for what the generator does not make: clients with
/// look-alike names, chats without digits, names that are not UTF-8. Real Ogg Opus notes, a real
/// SQLite file in the spec's schema; removed when the value goes away.
final class HandStore {
    /// A note on disk and what its message declares about it.
    struct Note {
        var sha256: String
        var size: Int
        var seconds: Int
    }

    let folder: String
    var mediaRoot: String { folder + "/media" }
    var database: String { folder + "/crm.sqlite3" }
    private let writer: SQLiteSpecWriter

    init() throws {
        folder = NSTemporaryDirectory() + "audiosync-hand-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/media", withIntermediateDirectories: true)
        writer = try SQLiteSpecWriter.create(path: folder + "/crm.sqlite3")
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func clients(_ clients: [(Int64, String)]) async throws {
        try await writer.insert(clients: clients.map { SpecClient(id: $0.0, name: $0.1) })
    }

    func instances(_ instances: [(row: Int64, id: String, client: Int64)]) async throws {
        try await writer.insert(
            instances: instances.map { SpecInstance(id: $0.row, instanceID: $0.id, clientID: $0.client) })
    }

    func chats(_ chats: [(row: Int64, id: String, client: Int64, instance: Int64?)]) async throws {
        try await writer.insert(
            chats: chats.map { SpecChat(id: $0.row, chatID: $0.id, clientID: $0.client, instanceRowID: $0.instance) })
    }

    /// An audio message declaring `note` (or nothing about a file), sent at `sent` (Unix seconds).
    func message(_ id: Int64, chat: Int64, whatsappID: String, note: Note?, sent: Int64) async throws {
        var audio = #""mimetype": "audio/ogg; codecs=opus", "ptt": true"#
        if let note {
            audio += #", "fileSha256": "\#(note.sha256)", "fileLength": "\#(note.size)", "seconds": \#(note.seconds)"#
        }
        let conteudo = #"{"audioMessage": {\#(audio)}, "messageTimestamp": \#(sent), "key": {"id": "\#(whatsappID)"}}"#
        try await writer.insert(messages: [
            SpecMessage(
                id: id, chatRowID: chat, messageID: whatsappID, conteudo: conteudo,
                dataEnvio: SpecMessage.dataEnvio(unixSeconds: sent))
        ])
    }

    /// Writes a real Ogg Opus note (its sound chosen by `seed`) at `path`, given as bytes so that
    /// names need not be UTF-8, relative to the media root.
    @discardableResult
    func note(at path: [UInt8], seed: UInt64, packets: Int = 30) throws -> Note {
        let (bytes, preSkip) = try Self.noteBytes(seed: seed, packets: packets)
        let full = Array(mediaRoot.utf8) + [47] + path
        let folder = Array(full[..<(full.lastIndex(of: 47)!)])
        try FileManager.default.createDirectory(
            atPath: String(decoding: folder, as: UTF8.self), withIntermediateDirectories: true)
        let fd = open(full.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown) }
        defer { Glibc.close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
        return Note(
            sha256: Data(SHA256.hash(data: bytes)).base64EncodedString(), size: bytes.count,
            seconds: (packets * 5_760 - preSkip) / 48_000)
    }

    @discardableResult
    func note(at path: String, seed: UInt64, packets: Int = 30) throws -> Note {
        try note(at: Array(path.utf8), seed: seed, packets: packets)
    }

    func close() async throws { try await writer.close() }

    /// `packets` packets of 120 ms of a voiced sound whose pitch `seed` chooses.
    static func noteBytes(seed: UInt64, packets count: Int) throws -> (bytes: [UInt8], preSkip: Int) {
        let encoder = try OpusEncoder(sampleRate: 16_000, channels: 1, bitrate: 8_000)
        var packets: [OggOpusWriter.Packet] = []
        let pitch = 100 + Double(seed % 150)
        for index in 0..<count {
            let pcm = (0..<1_920).map { i -> Int16 in
                let t = Double(index * 1_920 + i) / 16_000
                return Int16(3_000 * sin(2 * .pi * pitch * t) + 500 * sin(2 * .pi * 3.1 * pitch * t))
            }
            packets.append(try OggOpusWriter.Packet(try encoder.encode(pcm, frameSize: 1_920)))
        }
        let bytes = OggOpusWriter(serialNumber: UInt32(truncatingIfNeeded: seed), preSkip: encoder.preSkip).write(
            packets)
        return (bytes, encoder.preSkip)
    }

    /// A sync of the store (of one instance, when given) with the built-in profile and a probe cache
    /// of its own.
    func syncRunner(dryRun: Bool = false, repair: Bool = false, instance: String? = nil) -> SyncRunner {
        var location = DatabaseLocation(database: database)
        location.instance = instance
        return SyncRunner(
            database: location,
            media: MediaLocation(root: mediaRoot, probeCache: .file(folder + "/probe-cache.sqlite")),
            profile: .test, options: SyncOptions(dryRun: dryRun, repair: repair))
    }

    /// Every row's `conteudo`, by id.
    func conteudos() throws -> [Int64: String] {
        try DatabaseQueue(path: database).read { db in
            var rows: [Int64: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, conteudo FROM core_mensagem") {
                rows[row["id"]] = row["conteudo"] as String? ?? ""
            }
            return rows
        }
    }
}
