import Evaluation
import Foundation
import GRDB
import Testing

@Suite(.serialized)
struct GeneratorTests {
    static func generate(seed: UInt64, defects: Set<Defect>) async throws -> (String, StoreGenerator.Summary) {
        let folder = NSTemporaryDirectory() + "audiosync-gen-\(UUID().uuidString)"
        var options = GeneratorOptions(outputFolder: folder)
        options.messages = 500
        options.files = 150
        options.chats = 12
        options.seed = seed
        options.defects = defects
        return (folder, try await StoreGenerator(options: options).generate())
    }

    static func rows(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(
                db,
                sql:
                    "SELECT id || '|' || chat_id || '|' || ifnull(message_id, '') || '|' || tipo || '|' || ifnull(conteudo, '') || '|' || data_envio FROM core_mensagem ORDER BY id"
            )
        }
    }

    @Test("The same seed gives the same store, byte for byte; another seed another store")
    func deterministic() async throws {
        let (first, a) = try await Self.generate(seed: 5, defects: Set(Defect.allCases))
        let (second, b) = try await Self.generate(seed: 5, defects: Set(Defect.allCases))
        let (third, c) = try await Self.generate(seed: 6, defects: Set(Defect.allCases))
        defer { for folder in [first, second, third] { try? FileManager.default.removeItem(atPath: folder) } }
        #expect(
            try String(contentsOfFile: a.truth, encoding: .utf8) == String(contentsOfFile: b.truth, encoding: .utf8))
        #expect(try Self.rows(a.database) == Self.rows(b.database))
        #expect(try Self.rows(a.database) != Self.rows(c.database))
        let truth = try TruthFile(contentsOf: URL(fileURLWithPath: a.truth))
        for entry in truth.entries.prefix(40) {
            let x = FileManager.default.contents(atPath: a.mediaRoot + "/" + entry.file)
            let y = FileManager.default.contents(atPath: b.mediaRoot + "/" + entry.file)
            #expect(x != nil && x == y, "\(entry.file)")
        }
    }

    @Test("Every defect shows up in the truth file when switched on, and none when off")
    func defectsTagged() async throws {
        let (folder, summary) = try await Self.generate(seed: 8, defects: Set(Defect.allCases))
        let (plainFolder, plain) = try await Self.generate(seed: 8, defects: [])
        defer { for f in [folder, plainFolder] { try? FileManager.default.removeItem(atPath: f) } }
        let tags = Set(try TruthFile(contentsOf: URL(fileURLWithPath: summary.truth)).entries.flatMap(\.defects))
        // Row-only defects (non_json rows have no file; hash8_derivations and clock_offset show as
        // derivation_ and offset_ tags) are checked through their traces.
        for defect in Defect.allCases where ![.nonJSON, .hash8Derivations, .clockOffset, .accents].contains(defect) {
            #expect(
                tags.contains(defect.rawValue) || tags.contains { $0.hasPrefix(defect.rawValue) },
                "\(defect.rawValue) missing")
        }
        #expect(tags.contains { $0.hasPrefix("derivation_md5") } && tags.contains { $0.hasPrefix("offset_-4") })
        let plainTags = Set(try TruthFile(contentsOf: URL(fileURLWithPath: plain.truth)).entries.flatMap(\.defects))
        #expect(plainTags.subtracting(["derivation_id_prefix"]).isEmpty, "\(plainTags)")
        let nonJSON = try await DatabaseQueue(path: summary.database).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM core_mensagem WHERE conteudo = '[Áudio]'") ?? 0
        }
        #expect(nonJSON > 0)
    }
}
