import Crypto
import Dispatch
import Foundation
public import Logging
import MatchEngine
import MessageStore
import StoreFixtures
import Synchronization

/// Writes a synthetic store: a media tree of real Ogg Opus notes, a SQLite database in the spec's
/// layout, and the truth file, all from a seed. See `docs/generator.md`.
public struct StoreGenerator: Sendable {
    public let options: GeneratorOptions
    let logger: Logger

    public init(options: GeneratorOptions, logger: Logger = Logger(label: "audiosync.generate")) {
        self.options = options
        self.logger = logger
    }

    /// What was written.
    public struct Summary: Sendable, Codable {
        public var schemaVersion = 1
        public var mediaRoot: String
        public var database: String
        public var truth: String
        public var clients: Int
        public var instances: Int
        public var chats: Int
        public var audioMessages: Int
        public var otherRows: Int
        public var files: Int
        public var bytes: Int64
        public var defects: [String]
        public var seconds: Double

        enum CodingKeys: String, CodingKey {
            case schemaVersion = "schema_version"
            case mediaRoot = "media_root"
            case database, truth, clients, instances, chats
            case audioMessages = "audio_messages"
            case otherRows = "other_rows"
            case files, bytes, defects, seconds
        }
    }

    public typealias Progress = @Sendable (_ stage: String, _ done: Int, _ total: Int) -> Void

    /// Plans and writes the store.
    public func generate(progress: Progress? = nil) async throws -> Summary {
        try Self.prepareFolder(options.outputFolder)
        let clock = ContinuousClock()
        let started = clock.now
        let factory = try AudioFactory(seed: options.seed)
        var planner = SyntheticPlanner(options: options, factory: factory)
        let plan = planner.plan()
        return try await write(plan, factory: factory, started: started, progress: progress)
    }

    func write(_ plan: StorePlan, factory: AudioFactory, started: ContinuousClock.Instant, progress: Progress?)
        async throws -> Summary
    {
        let contents = try writeFiles(plan, factory: factory, progress: progress)
        progress?("database", 0, plan.messages.count)
        try await writeDatabase(plan, contents: contents, progress: progress)
        try truthFile(plan).csv.write(toFile: options.truthPath, atomically: true, encoding: .utf8)
        if options.world { try worldRecord(plan).write(to: URL(fileURLWithPath: options.worldPath)) }
        let elapsed = ContinuousClock.now - started
        return Summary(
            mediaRoot: options.mediaRoot,
            database: redactedDatabaseLocation(options.databaseLocation),
            truth: options.truthPath,
            clients: plan.clients.count,
            instances: plan.instances.count,
            chats: plan.chats.count,
            audioMessages: plan.messages.count,
            otherRows: plan.textRows,
            files: plan.files.count,
            bytes: contents.bytes,
            defects: options.world ? ["world"] : options.defects.map(\.rawValue).sorted(),
            seconds: elapsed.seconds
        )
    }

    static func prepareFolder(_ path: String) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue, (try? manager.contentsOfDirectory(atPath: path))?.isEmpty == true else {
                throw EvaluationError.badOption(
                    "\(path) exists and is not an empty folder: give a new folder for the store")
            }
        }
        try manager.createDirectory(atPath: path + "/media", withIntermediateDirectories: true)
    }

    /// The real size and SHA-256 of each message's audio (for `fileLength` and `fileSha256`).
    struct Contents: Sendable {
        var size: [Int64?]
        var digest: [ContentDigest?]
        var bytes: Int64
    }

    /// Writes every file, in parallel; returns the true size and digest of the audio of every
    /// message that has bytes (downloaded, or forwarded from or to one).
    func writeFiles(_ plan: StorePlan, factory: AudioFactory, progress: Progress?) throws -> Contents {
        var needsBytes = [Bool](repeating: false, count: plan.messages.count)
        var filesOfMessage: [Int: [Int]] = [:]
        for (index, file) in plan.files.enumerated() {
            guard let message = file.message else { continue }
            needsBytes[message] = true
            filesOfMessage[message, default: []].append(index)
        }
        for (index, message) in plan.messages.enumerated() where message.forwardOf != nil {
            needsBytes[index] = true
            needsBytes[message.forwardOf!] = true
        }
        let work = needsBytes.indices.filter { needsBytes[$0] }
        let filesByMessage = filesOfMessage
        let orphans = plan.files.indices.filter { plan.files[$0].message == nil }
        let results = Mutex(
            Contents(
                size: Array(repeating: nil, count: plan.messages.count),
                digest: Array(repeating: nil, count: plan.messages.count), bytes: 0))
        let failure = Mutex<(any Error)?>(nil)
        let done = Mutex(0)
        let root = options.mediaRoot
        let total = work.count + orphans.count
        let chunk = 256
        let chunks = (total + chunk - 1) / chunk
        let mp3 = Mutex<[Int: [UInt8]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            var local: [(Int, Int64, ContentDigest)] = []
            var written: Int64 = 0
            do {
                for position in (part * chunk)..<min(total, (part + 1) * chunk) {
                    if position < work.count {
                        let index = work[position]
                        let message = plan.messages[index]
                        let bytes: [UInt8]
                        if message.mp3 {
                            bytes = try ExternalEncoder.mp3(
                                seconds: factory.duration(packetCount: message.packets), seed: message.audioSeed)
                            mp3.withLock { $0[index] = bytes }
                        } else {
                            bytes = factory.bytes(packetCount: message.packets, audioSeed: message.audioSeed)
                        }
                        local.append(
                            (index, Int64(bytes.count), ContentDigest(bytes: Array(SHA256.hash(data: bytes)))!))
                        for file in filesByMessage[index] ?? [] {
                            let stored = try plan.files[file].transcode.map {
                                try ExternalEncoder.transcode(bytes, to: $0)
                            }
                            written += try Self.write(
                                plan.files[file], bytes: stored ?? bytes, root: root, seed: message.audioSeed)
                        }
                    } else {
                        let file = plan.files[orphans[position - work.count]]
                        let audio = file.orphanAudio!
                        written += try Self.write(
                            file, bytes: factory.bytes(packetCount: audio.packets, audioSeed: audio.seed), root: root,
                            seed: audio.seed)
                    }
                }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
            results.withLock { contents in
                for (index, size, digest) in local {
                    contents.size[index] = size
                    contents.digest[index] = digest
                }
                contents.bytes += written
            }
            let count = done.withLock { value -> Int in
                value += min(chunk, total - part * chunk)
                return value
            }
            progress?("files", count, total)
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return results.withLock { $0 }
    }

    /// Writes one file, damaged as planned, with the download time as its mtime.
    static func write(_ file: StorePlan.File, bytes: [UInt8], root: String, seed: UInt64) throws -> Int64 {
        var content = bytes
        switch file.damage {
        case nil: break
        case .empty: content = []
        case .truncated: content = Array(bytes.prefix(max(1, bytes.count * (3 + Int(seed % 6)) / 10)))
        case .garbage:
            var random = SeededRandom(seed: seed)
            content = (0..<max(64, bytes.count / 2)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        }
        let path = root + "/" + file.path
        let folder = String(path[..<path.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(content)) else {
            throw EvaluationError.badOption("cannot write \(path)")
        }
        let mtime = Int(file.mtime ?? file.written)
        var times = [timespec(tv_sec: mtime, tv_nsec: 0), timespec(tv_sec: mtime, tv_nsec: 0)]
        _ = utimensat(AT_FDCWD, path, &times, 0)
        return Int64(content.count)
    }

    func writeDatabase(_ plan: StorePlan, contents: Contents, progress: Progress?) async throws {
        let writer: any SpecDatabaseWriter =
            if let url = options.postgresURL {
                try await PostgresSpecWriter.create(url: url, jsonbConteudo: options.jsonbConteudo, logger: logger)
            } else {
                try SQLiteSpecWriter.create(path: options.databasePath)
            }
        do {
            try await writer.insert(clients: plan.clients.map { SpecClient(id: $0.rowID, name: $0.name) })
            try await writer.insert(
                instances: plan.instances.map {
                    SpecInstance(id: $0.rowID, instanceID: $0.instanceID, clientID: plan.clients[$0.client].rowID)
                }
            )
            try await writer.insert(
                chats: plan.chats.map { chat in
                    SpecChat(
                        id: chat.rowID,
                        chatID: chat.chatID,
                        chatName: chat.isGroup ? "Grupo \(chat.rowID)" : nil,
                        clientID: plan.clients[plan.instances[chat.instance].client].rowID,
                        instanceRowID: plan.instances[chat.instance].rowID
                    )
                }
            )
            var random = SeededRandom(seed: options.seed ^ 0xC0FFEE)
            var batch: [SpecMessage] = []
            let urlTemplate = MatchPlan.defaultURLTemplate
            for (index, message) in plan.messages.enumerated() {
                let chat = plan.chats[message.chat]
                let size = contents.size[index] ?? (message.mp3 ? nil : AudioFactorySizes.estimate(message.packets))
                let digest =
                    contents.digest[index] ?? ContentDigest(
                        bytes: (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) })!
                // A jsonb column cannot hold text that is not JSON: there the legacy row is a JSON
                // string instead, which is just as unusable.
                let legacy = options.postgresURL != nil && options.jsonbConteudo ? "\"[Áudio]\"" : "[Áudio]"
                let conteudo =
                    message.nonJSON
                    ? legacy : Conteudo.json(message, size: size, digest: digest, urlTemplate: urlTemplate)
                batch.append(
                    SpecMessage(
                        id: message.rowID,
                        chatRowID: chat.rowID,
                        messageID: message.idOnlyInKey ? nil : message.id,
                        sender: message.sender ?? (message.fromMe ? nil : chat.chatID),
                        kind: "audio",
                        conteudo: conteudo,
                        dataEnvio: SpecMessage.dataEnvio(
                            unixSeconds: message.inserted, microseconds: Int(random.next() % 1_000_000)),
                        fromMe: message.fromMe
                    )
                )
                if batch.count == 20_000 {
                    try await writer.insert(messages: batch)
                    batch.removeAll(keepingCapacity: true)
                    progress?("database", index + 1, plan.messages.count)
                }
            }
            // Text rows, so a reader that forgets `tipo` shows it.
            let firstTextRow = Int64(plan.messages.count + 1)
            for offset in 0..<plan.textRows {
                let chat = plan.chats[Int(random.next() % UInt64(plan.chats.count))]
                batch.append(
                    SpecMessage(
                        id: firstTextRow + Int64(offset),
                        chatRowID: chat.rowID,
                        messageID: "3EB0" + random.hex(16),
                        kind: "texto",
                        conteudo: "{\"conversation\": \"Bom dia!\"}",
                        dataEnvio: SpecMessage.dataEnvio(
                            unixSeconds: SyntheticPlanner.end - Int64(random.next() % 86_400)),
                        fromMe: false
                    )
                )
            }
            try await writer.insert(messages: batch)
            try await writer.close()
        } catch {
            try? await writer.close()
            throw error
        }
    }

    /// The deployment a `--world` store was drawn from, and each instance's clock and naming, as
    /// JSON (`world.json`).
    func worldRecord(_ plan: StorePlan) throws -> Data {
        struct InstanceRecord: Encodable {
            var instance: String
            var client: String
            var derivations: [String]
            var zone: String
            var clockSkewSeconds: Int64
            var ownNumber: String
            var kindFolders: Bool
        }
        struct Record: Encodable {
            var seed: UInt64
            var deployment: Deployment
            var instances: [InstanceRecord]
        }
        let record = Record(
            seed: options.seed,
            deployment: plan.deployment,
            instances: plan.instances.map {
                InstanceRecord(
                    instance: $0.instanceID, client: plan.clients[$0.client].folder,
                    derivations: $0.derivations.map(\.name), zone: ClockOffset.format($0.offset),
                    clockSkewSeconds: $0.skew, ownNumber: $0.ownNumber, kindFolders: $0.kindFolders)
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(record)
    }

    func truthFile(_ plan: StorePlan) -> TruthFile {
        TruthFile(
            entries: plan.files.map { file in
                let message = file.message.map { plan.messages[$0] }
                var tags = Set(file.tags)
                if let message { tags.formUnion(message.tags) }
                return TruthFile.Entry(file: file.path, messageRowID: message?.rowID, defects: tags.sorted())
            }
        )
    }
}

/// Sizes for notes never downloaded (no bytes exist): about what the encoder's packets weigh.
enum AudioFactorySizes {
    static func estimate(_ packets: Int) -> Int64 { Int64(140 + packets * 97) }
}

/// The gateway's JSON for an audio message, in its key order.
enum Conteudo {
    static func json(_ message: StorePlan.Message, size: Int64?, digest: ContentDigest, urlTemplate: String) -> String {
        var audio: [String] = []
        audio.append("\"url\": \"https://mmg.whatsapp.net/v/t62.7117-24/\(message.audioSeed % 100_000_000)/n.enc\"")
        audio.append("\"mimetype\": \"\(message.mp3 ? "audio/mpeg" : "audio/ogg; codecs=opus")\"")
        if message.hashes {
            audio.append("\"fileSha256\": \"\(digest.base64)\"")
            if let size {
                switch message.lengthStyle {
                case .text: audio.append("\"fileLength\": \"\(size)\"")
                case .number: audio.append("\"fileLength\": \(size)")
                case .lowHigh: audio.append("\"fileLength\": {\"low\": \(size), \"high\": 0, \"unsigned\": true}")
                }
            }
        }
        if let seconds = message.seconds { audio.append("\"seconds\": \(seconds)") }
        audio.append("\"ptt\": \(message.mp3 ? "false" : "true")")
        audio.append(
            "\"mediaKey\": \"\(ContentDigest(bytes: Array(repeating: UInt8(message.audioSeed & 255), count: 32))!.base64)\""
        )
        audio.append("\"directPath\": \"/v/t62.7117-24/\(message.audioSeed % 100_000_000)/n.enc\"")
        audio.append("\"mediaKeyTimestamp\": \"\(message.sent)\"")
        if let path = message.localPath {
            audio.append("\"localPath\": \"\(path)\"")
            audio.append("\"localUrl\": \"\(MatchPlan.url(urlTemplate, message.rowID))\"")
        }
        var top: [String] = []
        if message.idOnlyInKey {
            top.append("\"key\": {\"remoteJid\": \"\", \"fromMe\": \(message.fromMe), \"id\": \"\(message.id)\"}")
        }
        switch message.timestampStyle {
        case .none: break
        case .seconds: top.append("\"messageTimestamp\": \(message.sent)")
        case .milliseconds: top.append("\"messageTimestamp\": \(message.sent * 1000)")
        case .secondsText: top.append("\"messageTimestamp\": \"\(message.sent)\"")
        }
        top.append("\"audioMessage\": {" + audio.joined(separator: ", ") + "}")
        return "{" + top.joined(separator: ", ") + "}"
    }
}
