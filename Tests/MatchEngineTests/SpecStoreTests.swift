import MatchEngine
import Strategies
import Testing

/// The store of spec §4, in memory: the 19 files of its six chats, and 167 audio messages.
enum SpecStore {
    static let client = "Elizeu_Batiliere_Dos_Santos"
    static let instance = "3B6XIW-ZTS923-GEAY6V"

    /// (chat, file name, format): the files the first script mapped 16 of.
    static let fileNames: [(chat: String, name: String, format: AudioFormat)] = [
        ("556992884107", "msg_3A41B2C9_20250810_093012.mp3", .mp3),
        ("556992884107", "msg_3A77D0E1_20250810_101544.mp3", .mp3),
        ("556992962392", "msg_81585468_20250811_110317.ogg", .oggOpus),
        ("556992962392", "msg_ADD98073_20250811_110305.ogg", .oggOpus),
        ("556992962392", "msg_D1D32D10_20250811_111143.ogg", .oggOpus),
        ("556992962392", "msg_DA03CA87_20250811_110226.ogg", .oggOpus),
        ("556993258212", "msg_5E21AB90_20250812_141502.ogg", .oggOpus),
        ("556999051335", "msg_0C9F1A22_20250808_080101.ogg", .oggOpus),
        ("556999051335", "msg_4B8E7D13_20250808_081530.ogg", .oggOpus),
        ("556999051335", "msg_77A0C3F4_20250808_090002.ogg", .oggOpus),
        ("556999051335", "msg_E3D2C1B0_20250808_101010.ogg", .oggOpus),
        ("556999267344", "msg_9D07958D_20250809_174918.ogg", .oggOpus),
        ("556999267344", "msg_9D07958D_20250809_174922.ogg", .oggOpus),
        ("556999267344", "msg_9D07958D_20250809_175143.ogg", .oggOpus),
        ("556999267344", "msg_9D07958D_20250809_175146.ogg", .oggOpus),
        ("556999267344", "msg_2F6B8A01_20250809_180233.mp3", .mp3),
        ("556999267344", "msg_C4E5F607_20250809_181109.mp3", .mp3),
        ("556999872433", "msg_8C0FBB7D_20250809_174315.ogg", .oggOpus),
        ("556999872433", "msg_8C0FBB7D_20250809_174320.ogg", .oggOpus),
    ]

    /// Files with durations and contents; re-downloads (same token, seconds apart) share their bytes.
    static func files(durations: [Double]) -> [AudioFile] {
        var files: [AudioFile] = []
        for (index, entry) in fileNames.enumerated() {
            let parts = entry.name.split(separator: ".")[0].split(separator: "_")
            let compact = "\(parts[2])_\(parts[3])"
            let time =
                "\(compact.prefix(4))-\(compact.dropFirst(4).prefix(2))-\(compact.dropFirst(6).prefix(2)) "
                + "\(compact.dropFirst(9).prefix(2)):\(compact.dropFirst(11).prefix(2)):\(compact.dropFirst(13).prefix(2))"
            // Pairs of re-downloads: 9D07958D 174918/174922 and 175143/175146; 8C0FBB7D 174315/174320.
            let contentIndex: Int
            switch entry.name {
            case "msg_9D07958D_20250809_174922.ogg": contentIndex = index - 1
            case "msg_9D07958D_20250809_175146.ogg": contentIndex = index - 1
            case "msg_8C0FBB7D_20250809_174320.ogg": contentIndex = index - 1
            default: contentIndex = index
            }
            files.append(
                .example(
                    token: String(parts[1]),
                    time: time,
                    chat: entry.chat,
                    client: client,
                    instance: instance,
                    duration: durations[contentIndex],
                    size: 4_000 + Int64(contentIndex) * 997,
                    format: entry.format,
                    sha256: .example(UInt8(contentIndex + 1)),
                    name: entry.name
                )
            )
        }
        return files
    }
}

struct SpecStoreTests {
    static let profile = Profile.builtInDefault

    /// Messages for the store: one true message per distinct content (two share the id prefix
    /// 9D07958D, as ids of one client often do), the rest noise in the same chats and days.
    static func realisticMessages(durations: [Double], random: inout SeededGenerator) -> (
        messages: [AudioMessage], truth: [String: Int64]
    ) {
        var messages: [AudioMessage] = []
        var truth: [String: Int64] = [:]
        let files = SpecStore.files(durations: durations)
        var rowID: Int64 = 1000
        for (index, file) in files.enumerated() {
            // Re-downloads belong to the message of the first copy.
            if let previous = files[..<index].last(where: { $0.sha256 == file.sha256 }) {
                truth[file.path] = truth[previous.path]
                continue
            }
            rowID += 1
            let suffix = String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 16, uppercase: true)
            let id = file.name.token! + String(repeating: "0", count: 16 - suffix.count) + suffix
            let sent = file.name.time!.secondsSinceEpoch + 3 * 3600 - Int64.random(in: 2...9, using: &random)
            messages.append(
                .example(
                    rowID: rowID,
                    id: String(id.prefix(20)),
                    chat: file.chatFolder + "@s.whatsapp.net",
                    client: "Elizeu Batilière dos Santos",
                    instance: SpecStore.instance,
                    sent: iso(sent),
                    seconds: Int(file.duration!)
                )
            )
            truth[file.path] = rowID
        }
        // Noise: messages never downloaded, in the same chats, through the same days, with ids
        // that often share the 3EB0/3A prefixes.
        let chats = Array(Set(SpecStore.fileNames.map(\.chat))).sorted()
        while messages.count < 167 {
            rowID += 1
            let chat = chats[Int.random(in: 0..<chats.count, using: &random)]
            let prefix = ["3EB0", "3A", "BAE5", ""][Int.random(in: 0...3, using: &random)]
            let body = String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 16, uppercase: true)
            let sent =
                LocalTime(text: "2025-08-08 06:00:00")!.secondsSinceEpoch
                + Int64.random(in: 0...(5 * 86_400), using: &random)
            messages.append(
                .example(
                    rowID: rowID,
                    id: String((prefix + body + "0000000000000000").prefix(20)),
                    chat: chat + "@s.whatsapp.net",
                    client: "Elizeu Batilière dos Santos",
                    instance: SpecStore.instance,
                    sent: iso(sent),
                    seconds: Int.random(in: 0...60, using: &random)
                )
            )
        }
        messages.shuffle(using: &random)
        return (messages, truth)
    }

    static func iso(_ unix: Int64) -> String {
        String(LocalTime(secondsSinceEpoch: unix).iso8601.replacingOccurrences("T", " "))
    }

    static func durations(_ random: inout SeededGenerator) -> [Double] {
        (0..<SpecStore.fileNames.count).map { _ in (Double.random(in: 0.4...45, using: &random) * 1000).rounded() / 1000
        }
    }

    @Test("The spec §4 store: every file reaches its own message; nothing else is linked", arguments: 0..<10)
    func realisticStore(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) + 1)
        let durations = Self.durations(&random)
        let files = SpecStore.files(durations: durations)
        let (messages, truth) = Self.realisticMessages(durations: durations, random: &random)
        #expect(messages.count == 167)
        let plan = Matcher(profile: Self.profile).plan(files: files, messages: messages)
        var linkedFiles: [String: Int64] = [:]
        for link in plan.links {
            linkedFiles[link.file] = link.messageRowID
            for duplicate in link.duplicates { linkedFiles[duplicate] = link.messageRowID }
        }
        for file in files {
            #expect(linkedFiles[file.path] == truth[file.path], "\(file.path)")
        }
        #expect(plan.links.count == 16, "19 files hold 16 distinct recordings")
        #expect(plan.reviews.isEmpty)
        let calibration = plan.calibration[0].calibration
        #expect(calibration.hashDerivations == [.idPrefix])
        // São Paulo, to the second: the clock the files were named by (downloads land seconds
        // after their message, so the estimate sits within the live delay of the zone).
        #expect(abs((calibration.clockOffset ?? 0) + 3 * 3600) <= 5)
        Self.checkInvariants(plan, files: files)
    }

    @Test("Whatever the messages, no message receives two files that are not byte-identical", arguments: 0..<60)
    func neverTwoFilesForOneMessage(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &* 104_729 &+ 3)
        let durations = Self.durations(&random)
        let files = SpecStore.files(durations: durations)
        // Adversarial messages: ids built from the files' tokens (several messages per token),
        // times near the files', durations that often agree, some fileLength/fileSha256 copied
        // from files, the rest random.
        let chats = Array(Set(SpecStore.fileNames.map(\.chat))).sorted()
        var messages: [AudioMessage] = []
        for rowID in 1...167 {
            let file = files[Int.random(in: 0..<files.count, using: &random)]
            let chat =
                Bool.random(using: &random) ? file.chatFolder : chats[Int.random(in: 0..<chats.count, using: &random)]
            let tail = String(UInt64.random(in: 0...UInt64.max, using: &random), radix: 16, uppercase: true)
            let id =
                Int.random(in: 0...2, using: &random) == 0
                ? nil : String((file.name.token! + tail + "000000000000").prefix(20))
            let sent = file.name.time!.secondsSinceEpoch + 3 * 3600 + Int64.random(in: -600...600, using: &random)
            let seconds = Bool.random(using: &random) ? Int(file.duration!) : Int.random(in: 0...45, using: &random)
            messages.append(
                .example(
                    rowID: Int64(rowID),
                    id: id,
                    chat: chat + ["@s.whatsapp.net", "@c.us", ""][Int.random(in: 0...2, using: &random)],
                    client: "Elizeu Batilière dos Santos",
                    instance: SpecStore.instance,
                    sent: Int.random(in: 0...4, using: &random) == 0 ? nil : Self.iso(sent),
                    inserted: Self.iso(sent + Int64.random(in: 0...90_000, using: &random)),
                    seconds: Int.random(in: 0...5, using: &random) == 0 ? nil : seconds,
                    fileLength: Bool.random(using: &random) ? file.size : nil,
                    sha256: Int.random(in: 0...3, using: &random) == 0 ? file.sha256 : nil
                )
            )
        }
        let plan = Matcher(profile: Self.profile).plan(files: files, messages: messages)
        // A plan that links nothing keeps every invariant: that would prove nothing.
        #expect(!plan.links.isEmpty, "nothing linked: the invariants hold vacuously")
        Self.checkInvariants(plan, files: files)
    }

    /// One message, one file (or byte-identical copies); one file, one message.
    static func checkInvariants(_ plan: MatchPlan, files: [AudioFile]) {
        let digest = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.sha256) })
        var messageSeen = Set<Int64>()
        var fileSeen = Set<String>()
        for link in plan.links {
            #expect(messageSeen.insert(link.messageRowID).inserted, "message \(link.messageRowID) linked twice")
            for path in [link.file] + link.duplicates {
                #expect(fileSeen.insert(path).inserted, "\(path) linked twice")
                #expect(digest[path]! == digest[link.file]!, "\(path) is not byte-identical to \(link.file)")
            }
            #expect(link.score >= plan.thresholds.floor)
            #expect((link.margin ?? .infinity) >= plan.thresholds.margin)
        }
        let changes = plan.changeSet(repair: false)
        #expect(Set(changes.changes.map(\.messageRowID)).count == changes.changes.count)
    }
}

extension String {
    func replacingOccurrences(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
