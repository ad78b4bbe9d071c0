import MatchEngine

/// The store of spec §4, as `make demo` shows it: one client, one instance, six chats, 19 files
/// (Ogg Opus and MP3 voice notes, three byte-identical re-downloads) and 167 audio messages,
/// most of them never downloaded. The file names are the spec's.
///
/// It reproduces the spec's story: some rows were back-filled (inserted the day after they were
/// sent), so the first script, matching a file to the nearest message *inserted* on its day,
/// maps 16 of the 19 files, four of them to one message and two each to others, and writes 7
/// rows. The never-downloaded messages fall on days without files in their chat.
struct SpecDemoPlanner {
    let factory: AudioFactory
    var random: SeededRandom

    init(factory: AudioFactory, seed: UInt64) {
        self.factory = factory
        self.random = SeededRandom(seed: seed)
    }

    /// Messages whose row was inserted the day after they were sent (a back-fill), so the first
    /// script's "same day" misses them.
    static let backFilled: Set<String> = [
        "3A41B2C9", "3A77D0E1", "ADD98073", "D1D32D10", "DA03CA87", "5E21AB90", "4B8E7D13", "E3D2C1B0", "C4E5F607",
    ]

    /// (chat, token, name time, MP3?, re-download of the previous entry?)
    static let files: [(chat: String, token: String, time: String, mp3: Bool, again: Bool)] = [
        ("556992884107", "3A41B2C9", "20250810_093012", true, false),
        ("556992884107", "3A77D0E1", "20250810_101544", true, false),
        ("556992962392", "81585468", "20250811_110317", false, false),
        ("556992962392", "ADD98073", "20250811_110305", false, false),
        ("556992962392", "D1D32D10", "20250811_111143", false, false),
        ("556992962392", "DA03CA87", "20250811_110226", false, false),
        ("556993258212", "5E21AB90", "20250812_141502", false, false),
        ("556999051335", "0C9F1A22", "20250808_080101", false, false),
        ("556999051335", "4B8E7D13", "20250808_081530", false, false),
        ("556999051335", "77A0C3F4", "20250808_090002", false, false),
        ("556999051335", "E3D2C1B0", "20250808_101010", false, false),
        ("556999267344", "9D07958D", "20250809_174918", false, false),
        ("556999267344", "9D07958D", "20250809_174922", false, true),
        ("556999267344", "9D07958D", "20250809_175143", false, false),
        ("556999267344", "9D07958D", "20250809_175146", false, true),
        ("556999267344", "2F6B8A01", "20250809_180233", true, false),
        ("556999267344", "C4E5F607", "20250809_181109", true, false),
        ("556999872433", "8C0FBB7D", "20250809_174315", false, false),
        ("556999872433", "8C0FBB7D", "20250809_174320", false, true),
    ]

    static let hashesSince = LocalTime(year: 2025, month: 8, day: 9, hour: 0, minute: 0, second: 0)!.secondsSinceEpoch

    mutating func plan() -> StorePlan {
        var plan = StorePlan()
        plan.clients = [.init(rowID: 1, name: "Elizeu Batilière dos Santos", folder: "Elizeu_Batiliere_Dos_Santos")]
        plan.instances = [
            .init(
                rowID: 1, instanceID: "3B6XIW-ZTS923-GEAY6V", client: 0, derivations: [.known(.idPrefix)],
                offset: -3 * 3600,
                kindFolders: true)
        ]
        let chatFolders = Array(Set(Self.files.map(\.chat))).sorted()
        for (index, folder) in chatFolders.enumerated() {
            plan.chats.append(
                .init(
                    rowID: Int64(index + 1), instance: 0, folder: folder, chatID: folder + "@s.whatsapp.net",
                    isGroup: false, members: [], tags: [], inDatabase: true)
            )
        }
        var drafts: [StorePlan.Message] = []
        var fileMessages: [Int] = []
        for entry in Self.files {
            let chat = chatFolders.firstIndex(of: entry.chat)!
            let local = LocalTime(compactDate: entry.time.prefix(8), time: entry.time.suffix(6))!.secondsSinceEpoch
            let written = local + 3 * 3600
            if entry.again {
                fileMessages.append(fileMessages.last!)
                continue
            }
            let packets = 12 + Int(random.next() % 220)
            let sent = written - 2 - Int64(random.next() % 9)
            var draft = message(
                chat: chat, id: entry.token + random.hex(12), sent: sent, packets: packets, mp3: entry.mp3)
            if Self.backFilled.contains(entry.token) { draft.inserted = sent + 86_400 + Int64(random.next() % 3_600) }
            drafts.append(draft)
            fileMessages.append(drafts.count - 1)
        }
        // The rest: messages never downloaded, through the same days, with ids that share
        // prefixes, on days (São Paulo time) without files in their chat.
        let start = LocalTime(year: 2025, month: 8, day: 7, hour: 9, minute: 0, second: 0)!.secondsSinceEpoch
        var fileDays: Set<String> = []
        for entry in Self.files { fileDays.insert(entry.chat + String(entry.time.prefix(8))) }
        while drafts.count < 167 {
            let chat = Int(random.next() % UInt64(chatFolders.count))
            let prefix = ["3EB0", "3A", "BAE5"][Int(random.next() % 3)]
            let id = prefix + random.hex(20 - prefix.count)
            let sent = start + Int64(random.next() % (6 * 86_400))
            let day = LocalTime(secondsSinceEpoch: sent - 3 * 3600).compactStamp.prefix(8)
            guard !fileDays.contains(chatFolders[chat] + day) else { continue }
            drafts.append(message(chat: chat, id: id, sent: sent, packets: 8 + Int(random.next() % 300), mp3: false))
        }
        // Row ids in insert order, as the CRM handed them out.
        let order = drafts.indices.sorted {
            (drafts[$0].inserted, drafts[$0].sent) < (drafts[$1].inserted, drafts[$1].sent)
        }
        var rowOf = [Int](repeating: 0, count: drafts.count)
        for (row, index) in order.enumerated() {
            rowOf[index] = row
            drafts[index].rowID = Int64(row + 1)
        }
        plan.messages = order.map { drafts[$0] }
        for (position, entry) in Self.files.enumerated() {
            let message = rowOf[fileMessages[position]]
            let local = LocalTime(compactDate: entry.time.prefix(8), time: entry.time.suffix(6))!.secondsSinceEpoch
            let path =
                "Elizeu_Batiliere_Dos_Santos/instance_3B6XIW-ZTS923-GEAY6V/chats/\(entry.chat)/audio/msg_\(entry.token)_\(entry.time).\(entry.mp3 ? "mp3" : "ogg")"
            plan.files.append(
                .init(
                    path: path, message: message, orphanAudio: nil, damage: nil, written: local + 3 * 3600,
                    tags: entry.again ? ["redownload"] : [])
            )
        }
        return plan
    }

    mutating func message(chat: Int, id: String, sent: Int64, packets: Int, mp3: Bool) -> StorePlan.Message {
        StorePlan.Message(
            rowID: 0,
            chat: chat,
            id: id,
            idOnlyInKey: false,
            sent: sent,
            inserted: sent + 1,
            timestampStyle: .seconds,
            packets: packets,
            audioSeed: random.next(),
            seconds: Int(factory.duration(packetCount: packets)),
            // Older rows (before the gateway sent hashes) lack fileSha256 and fileLength: those
            // files are linked by their name, time and duration instead.
            hashes: sent >= Self.hashesSince,
            lengthStyle: .text,
            nonJSON: false,
            fromMe: false,
            sender: nil,
            forwardOf: nil,
            localPath: nil,
            tags: [],
            mp3: mp3
        )
    }
}

extension StoreGenerator {
    /// Writes the spec §4 store (`make demo`): same layout as ``generate(progress:)``.
    public func generateSpecDemo(progress: Progress? = nil) async throws -> Summary {
        try Self.prepareFolder(options.outputFolder)
        let started = ContinuousClock.now
        let factory = try AudioFactory(seed: options.seed)
        var planner = SpecDemoPlanner(factory: factory, seed: options.seed)
        return try await write(planner.plan(), factory: factory, started: started, progress: progress)
    }
}
