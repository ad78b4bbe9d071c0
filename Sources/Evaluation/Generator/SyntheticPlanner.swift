import Foundation
import MatchEngine

/// Plans a synthetic store from the generator's options: clients, instances, chats, messages and
/// files, with each switched-on defect on a share of them. Deterministic for a seed.
struct SyntheticPlanner {
    let options: GeneratorOptions
    let factory: AudioFactory
    /// The shares in force: fixed by `--defects`, or drawn from the seed with `--world`.
    let world: Deployment
    var random: SeededRandom

    init(options: GeneratorOptions, factory: AudioFactory) {
        self.options = options
        self.factory = factory
        self.world = options.world ? Deployment.draw(seed: options.seed) : Deployment.fixed(options.defects)
        self.random = SeededRandom(seed: options.seed)
    }

    /// `true` for a share of draws; draws nothing when the share is zero, so a store made with a
    /// defect switched off is the store it always was.
    mutating func draw(_ share: Double) -> Bool { share > 0 && random.chance(share) }

    /// A uniform number in `low..<high`.
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + Double(random.next() >> 11) / Double(1 << 53) * (high - low)
    }

    /// The store's last day; messages spread over the 90 days before it.
    static let end = LocalTime(year: 2025, month: 8, day: 31, hour: 0, minute: 0, second: 0)!.secondsSinceEpoch
    static let span: Int64 = 90 * 86_400

    static let names = [
        ("Elizeu Batilière dos Santos", "Elizeu Batiliere dos Santos"),
        ("Maria da Conceição Araújo", "Maria da Conceicao Araujo"),
        ("João Pedro Gonçalves", "Joao Pedro Goncalves"), ("Ana Luíza Ferreira", "Ana Luiza Ferreira"),
        ("Clínica Sorriso Feliz", "Clinica Sorriso Feliz"), ("Imobiliária Horizonte", "Imobiliaria Horizonte"),
    ]
    static let areaCodes = [
        "11", "21", "31", "41", "51", "61", "62", "65", "67", "69", "71", "81", "85", "91", "92", "98",
    ]

    mutating func plan() -> StorePlan {
        var plan = StorePlan()
        plan.deployment = world
        planClientsAndInstances(&plan)
        planChats(&plan)
        planMessages(&plan)
        planForwards(&plan)
        planFiles(&plan)
        planStaleLocalPaths(&plan)
        plan.textRows = options.messages / 10
        return plan
    }

    // MARK: Clients, instances, chats

    mutating func planClientsAndInstances(_ plan: inout StorePlan) {
        let clientCount = max(1, min(Self.names.count, options.chats / 15))
        for index in 0..<clientCount {
            let (accented, plain) = Self.names[index]
            let name = world.accents ? accented : plain
            // Folders are the name with underscores; the downloader stripped accents.
            plan.clients.append(
                .init(rowID: Int64(index + 1), name: name, folder: plain.replacingOccurrences(of: " ", with: "_")))
            // Several instances per client when their derivations differ, so a default-sized
            // store shows every derivation.
            let instanceCount =
                world.drawn
                ? 1 + Int(random.next() % 3)
                : world.variedDerivations ? 3 : options.chats >= 30 && random.chance(0.5) ? 2 : 1
            for _ in 0..<instanceCount {
                let number = plan.instances.count
                var derivations: [TokenDerivation]
                if world.drawn {
                    derivations = drawDerivations(first: number == 0)
                } else if world.variedDerivations {
                    let cycle: [[HashDerivation]] = [
                        [.idPrefix], [.idPrefix, .md5], [.idSuffix], [.sha1], [.sha256], [.md5],
                    ]
                    derivations = cycle[number % cycle.count].map(TokenDerivation.known)
                } else {
                    derivations = [.known(.idPrefix)]
                }
                let offsets: [Int64] = [-3 * 3600, -4 * 3600, 0]
                let id = "\(random.hex(6))-\(random.hex(6))-\(random.hex(6))"
                var instance = StorePlan.Instance(
                    rowID: Int64(number + 1),
                    instanceID: id,
                    client: index,
                    derivations: derivations,
                    offset: world.variedZones ? offsets[number % offsets.count] : -3 * 3600,
                    kindFolders: number % 2 == 0
                )
                if world.drawn {
                    instance.offset = drawZone()
                    instance.skew = Int64(uniform(-Double(world.maxClockSkew), Double(world.maxClockSkew) + 1))
                    instance.kindFolders = random.chance(0.5)
                    instance.ownNumber = mobile()
                }
                plan.instances.append(instance)
            }
        }
    }

    /// An instance's derivations in a drawn world: a known one (sometimes two mixed), or, in a
    /// deployment that has them, one audiosync does not know.
    mutating func drawDerivations(first: Bool) -> [TokenDerivation] {
        if world.unknownDerivations && (first || random.chance(0.5)) {
            return [TokenDerivation.unknown[Int(random.next() % UInt64(TokenDerivation.unknown.count))]]
        }
        let known = HashDerivation.allCases
        let main = TokenDerivation.known(known[Int(random.next() % UInt64(known.count))])
        guard random.chance(0.15) else { return [main] }
        let other = TokenDerivation.known(known[Int(random.next() % UInt64(known.count))])
        return other == main ? [main] : [main, other]
    }

    /// A server's zone in a drawn world: mostly São Paulo or Porto Velho, sometimes UTC, sometimes
    /// any quarter hour from UTC−05:00 to UTC+01:00.
    mutating func drawZone() -> Int64 {
        switch random.next() % 10 {
        case 0..<5: return -3 * 3600
        case 5, 6: return -4 * 3600
        case 7: return 0
        default: return -5 * 3600 + Int64(random.next() % 25) * 900
        }
    }

    mutating func planChats(_ plan: inout StorePlan) {
        var used: Set<String> = []
        for index in 0..<max(1, options.chats) {
            let instance = index % plan.instances.count
            var tags: [String] = []
            // At least one group, so a small store shows the defect too.
            let isGroup = world.groupShare > 0 && (index == 1 || random.chance(world.groupShare))
            var folder: String
            var chatID: String
            var members: [String] = []
            if isGroup {
                folder = "120363" + digits(12)
                chatID = folder + "@g.us"
                for _ in 0..<(3 + Int(random.next() % 4)) { members.append(mobile() + "@s.whatsapp.net") }
                tags.append("group")
            } else {
                let number = mobile()
                folder = number
                chatID = number + "@s.whatsapp.net"
                if draw(world.ninthDigitShare) {
                    // One side has the ninth digit, the other does not.
                    let short = String(number.prefix(4) + number.dropFirst(5))
                    if random.chance(0.5) { chatID = short + "@s.whatsapp.net" } else { folder = short }
                    tags.append("ninth_digit")
                }
                if draw(world.jidVariantShare) {
                    let digits = ChatKey.digits(of: chatID)
                    switch random.next() % 3 {
                    case 0: chatID = digits + "@c.us"
                    case 1: chatID = digits
                    default:
                        chatID =
                            "+\(digits.prefix(2)) (\(digits.dropFirst(2).prefix(2))) \(digits.dropFirst(4).dropLast(4))-\(digits.suffix(4))"
                    }
                    tags.append("jid_variants")
                }
            }
            guard used.insert(folder).inserted else { continue }
            plan.chats.append(
                .init(
                    rowID: Int64(plan.chats.count + 1),
                    instance: instance,
                    folder: folder,
                    chatID: chatID,
                    isGroup: isGroup,
                    members: members,
                    tags: tags,
                    inDatabase: true
                )
            )
        }
    }

    /// A WhatsApp id in one of the three real shapes: Web (`3EB0` and 16 hex digits), iOS (`3A`
    /// and 18), Android (32).
    mutating func drawID() -> String {
        let shape: Int
        if let web = world.webIDShare, let ios = world.iosIDShare {
            let pick = uniform(0, 1)
            shape = pick < web ? 0 : pick < web + ios ? 2 : 3
        } else {
            shape = Int(random.next() % 4)
        }
        switch shape {
        case 0, 1: return "3EB0" + random.hex(16)
        case 2: return "3A" + random.hex(18)
        default: return random.hex(32)
        }
    }

    mutating func mobile() -> String {
        "55" + Self.areaCodes[Int(random.next() % UInt64(Self.areaCodes.count))] + "9" + String(6 + random.next() % 4)
            + digits(7)
    }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(random.next() % 10)) })
    }

    // MARK: Messages

    mutating func planMessages(_ plan: inout StorePlan) {
        // Busy chats and quiet ones: Zipf-like weights.
        var cumulative: [Double] = []
        var total = 0.0
        for index in 0..<plan.chats.count {
            total += 1 / pow(Double(index + 1), 0.8)
            cumulative.append(total)
        }
        var ids: Set<String> = []
        var drafts: [StorePlan.Message] = []
        drafts.reserveCapacity(options.messages)
        for _ in 0..<options.messages {
            let pick = Double(random.next() >> 11) / Double(1 << 53) * total
            let chat = min(plan.chats.count - 1, lowerBound(cumulative, pick))
            var id: String
            repeat {
                id = drawID()
            } while !ids.insert(id).inserted
            let sent = Self.end - Self.span + Int64(random.next() % UInt64(Self.span))
            // Voice notes: mostly short, some long (1 s to 2 minutes).
            let seconds = min(120, 0.6 + -log(1 - Double(random.next() >> 11) / Double(1 << 53)) * 9)
            let packets = max(1, Int((seconds / 0.12).rounded(.up)))
            var tags: [String] = []
            var message = StorePlan.Message(
                rowID: 0,
                chat: chat,
                id: id,
                idOnlyInKey: false,
                sent: sent,
                inserted: sent + Int64(random.next() % 3),
                timestampStyle: .seconds,
                packets: packets,
                audioSeed: random.next(),
                seconds: 0,
                hashes: true,
                lengthStyle: .text,
                nonJSON: false,
                fromMe: false,
                sender: nil,
                forwardOf: nil,
                localPath: nil,
                tags: []
            )
            let group = plan.chats[chat]
            if group.isGroup {
                message.sender = group.members[Int(random.next() % UInt64(group.members.count))]
            } else {
                message.fromMe = random.chance(0.3)
            }
            if draw(world.missingSecondsShare) {
                message.seconds = nil
                tags.append("missing_seconds")
            } else if draw(world.roundedSecondsShare) {
                message.seconds = -1  // resolved to the rounded duration below
                tags.append("rounded_seconds")
            }
            if draw(world.missingHashesShare) {
                message.hashes = false
                tags.append("missing_hashes")
            }
            if draw(world.gatewayFormatShare) {
                message.lengthStyle = random.chance(0.6) ? .number : .lowHigh
                message.timestampStyle = random.chance(0.6) ? .milliseconds : .secondsText
                tags.append("gateway_formats")
            }
            if draw(world.insertTimeShare) {
                message.inserted = sent + 3_600 + Int64(random.next() % (5 * 86_400))
                if random.chance(0.5) { message.timestampStyle = .none }
                tags.append("insert_time")
            }
            if draw(world.historyImportShare) {
                // A history import: the row lands minutes to weeks after the send, and the
                // downloader fetches its file right after the insert.
                message.inserted = sent + Int64(exp(uniform(log(300), log(21 * 86_400))))
                if random.chance(world.historyWithoutTimestampShare) { message.timestampStyle = .none }
                message.historyImport = true
                tags.append("history_import")
            }
            if draw(world.missingMessageIDShare) {
                message.idOnlyInKey = true
                tags.append("missing_message_id")
            }
            if draw(world.nonJSONShare) {
                message.nonJSON = true
                tags.append("non_json")
            }
            message.tags = tags
            drafts.append(message)
        }
        if world.collisionShare > 0 {
            // Give some messages an id sharing its first and last 8 characters with another of
            // their chat: what `id[:8]` and `id[-8:]` cannot tell apart.
            var byChat: [Int: [Int]] = [:]
            for (index, message) in drafts.enumerated() { byChat[message.chat, default: []].append(index) }
            // Chats in order: a dictionary's order differs from one instance to the next, and the
            // store must not.
            for chat in byChat.keys.sorted() {
                let members = byChat[chat]!
                guard members.count > 1 else { continue }
                for index in members.dropFirst() where random.chance(world.collisionShare) {
                    let other = drafts[members[Int(random.next() % UInt64(members.count))]]
                    guard other.id != drafts[index].id, other.id.count >= 16 else { continue }
                    let middle = random.hex(max(0, other.id.count - 16))
                    let id = String(other.id.prefix(8)) + middle + String(other.id.suffix(8))
                    guard ids.insert(id).inserted else { continue }
                    drafts[index].id = id
                    drafts[index].tags.append("prefix_collisions")
                }
            }
        }
        // Row ids in insert order, as a database hands them out.
        drafts.sort { ($0.inserted, $0.sent, $0.id) < ($1.inserted, $1.sent, $1.id) }
        for index in drafts.indices {
            drafts[index].rowID = Int64(index + 1)
            let duration = factory.duration(packetCount: drafts[index].packets)
            if drafts[index].seconds == -1 {
                drafts[index].seconds = Int(duration.rounded())
            } else if drafts[index].seconds != nil {
                drafts[index].seconds = Int(duration)
            }
        }
        plan.messages = drafts
    }

    /// Forwarded notes: a message of another chat of the same client carries the same audio.
    mutating func planForwards(_ plan: inout StorePlan) {
        guard world.forwardedShare > 0, plan.chats.count > 1 else { return }
        let count =
            world.drawn ? Int(Double(plan.messages.count) * world.forwardedShare) : plan.messages.count / 30
        for _ in 0..<count {
            let original = Int(random.next() % UInt64(plan.messages.count))
            let copy = Int(random.next() % UInt64(plan.messages.count))
            let a = plan.messages[original]
            let b = plan.messages[copy]
            guard original != copy, a.chat != b.chat, a.forwardOf == nil, b.forwardOf == nil, !a.nonJSON, !b.nonJSON,
                plan.instances[plan.chats[a.chat].instance].client == plan.instances[plan.chats[b.chat].instance].client
            else { continue }
            plan.messages[copy].packets = a.packets
            plan.messages[copy].audioSeed = a.audioSeed
            plan.messages[copy].seconds = a.seconds.map { _ in Int(factory.duration(packetCount: a.packets)) }
            plan.messages[copy].forwardOf = original
            plan.messages[copy].tags.append("forwarded")
            plan.messages[original].tags.append("forwarded")
        }
    }

    // MARK: Files

    mutating func tokenAndName(
        _ message: StorePlan.Message, instance: StorePlan.Instance, written local: Int64
    )
        -> (name: String, tags: [String])
    {
        let stamp = LocalTime(secondsSinceEpoch: local).compactStamp
        var tags: [String] = []
        var ext = "ogg"
        if draw(world.lyingExtensionShare) {
            ext = "mp3"
            tags.append("lying_extension")
        }
        if draw(world.otherNamesShare) {
            tags.append("other_names")
            let names = [
                "PTT-\(stamp.prefix(8))-WA\(pad4(Int(random.next() % 10_000)))",
                "Gravação de áudio \(random.next() % 100)", "audio \(random.hex(5))",
            ]
            return (names[Int(random.next() % 3)] + "." + (ext == "mp3" ? "mp3" : "opus"), tags)
        }
        if draw(world.fullIDShare) {
            tags.append("full_id_names")
            return ("wapi_\(message.id)_\(stamp).\(ext)", tags)
        }
        let derivation = instance.derivations[Int(random.next() % UInt64(instance.derivations.count))]
        tags.append("derivation_\(derivation.name)")
        if !derivation.isKnown { tags.append("unknown_derivation") }
        return ("msg_\(derivation.token(of: message.id))_\(stamp).\(ext)", tags)
    }

    func folder(of chat: StorePlan.Chat, plan: StorePlan, sender: String?) -> String {
        folder(
            instance: plan.instances[chat.instance], plan: plan,
            chatFolder: sender.map { ChatKey.digits(of: $0) } ?? chat.folder)
    }

    func folder(instance: StorePlan.Instance, plan: StorePlan, chatFolder: String) -> String {
        let client = plan.clients[instance.client]
        return "\(client.folder)/instance_\(instance.instanceID)/chats/\(chatFolder)"
            + (instance.kindFolders ? "/audio" : "")
    }

    /// How many of `total` a share asks for; `--defects` stores keep their fixed fraction.
    func count(_ total: Int, _ share: Double, classic divisor: Int) -> Int {
        guard share > 0 else { return 0 }
        return world.drawn ? Int(Double(total) * share) : total / divisor
    }

    /// The truth tags of an instance's clock in a drawn world.
    func zoneTags(_ instance: StorePlan.Instance) -> [String] {
        var tags = ["zone_\(ClockOffset.format(instance.offset))"]
        if abs(instance.skew) > 10 { tags.append("clock_skew") }
        return tags
    }

    /// When a drawn world's downloader fetched a message's file (UTC): seconds after the row's
    /// insert for live rows and history imports alike; for live rows a back-fill run may fetch it
    /// hours to weeks later instead, in a run that walks the rows in insert order.
    mutating func downloadTime(of message: StorePlan.Message, instance: Int, tags: inout [String]) -> Int64 {
        if message.historyImport {
            return message.inserted + 2 + Int64(random.next() % 300)
        }
        if draw(world.lateDownloadShare) {
            tags.append("late_download")
            // Runs every few days per instance; each fetches what was inserted since the last,
            // in row order, a second or two apart.
            let period: Int64 = 86_400 * (2 + Int64(instance % 5))
            let origin = Self.end - Self.span + Int64(instance) * 3_917
            let due = message.sent + 3_600 + Int64(random.next() % (7 * 86_400))
            let run = origin + ((due - origin) / period + 1) * period
            let since = run - period
            return run + max(0, (message.inserted - since)) * 1_200 / period
        }
        let delay = 1 - log(1 - uniform(0, 0.999)) * world.meanLiveDelay
        return message.inserted + Int64(min(600, delay))
    }

    mutating func planFiles(_ plan: inout StorePlan) {
        let orphanCount = count(options.files, world.orphanShare, classic: 20)
        let duplicateCount = count(options.files, world.redownloadShare, classic: 20)
        let eligible = plan.messages.indices.filter { !plan.messages[$0].nonJSON }
        let downloads = min(eligible.count, max(0, options.files - orphanCount - duplicateCount))
        // A partial Fisher–Yates: the first `downloads` of a shuffle, deterministically.
        var pool = eligible
        for i in 0..<downloads {
            let j = i + Int(random.next() % UInt64(pool.count - i))
            pool.swapAt(i, j)
        }
        var chosen = Array(pool.prefix(downloads))
        // Forwards are most telling when both copies were downloaded.
        for index in chosen where plan.messages[index].forwardOf != nil {
            if let original = plan.messages[index].forwardOf, !chosen.contains(original), random.chance(0.5) {
                chosen.append(original)
            }
        }
        chosen.sort()
        var paths: Set<String> = []
        for index in chosen {
            let message = plan.messages[index]
            let chat = plan.chats[message.chat]
            let instance = plan.instances[chat.instance]
            var tags = message.tags + chat.tags
            var delay = 1 + Int64(random.next() % 20)
            if draw(world.backfillShare) {
                delay = 3_600 + Int64(random.next() % (10 * 86_400))
                tags.append("backfill")
            }
            var written = message.sent + delay
            if world.drawn {
                written = downloadTime(of: message, instance: chat.instance, tags: &tags)
            }
            var (name, nameTags) = tokenAndName(
                message, instance: instance, written: written + instance.offset + instance.skew)
            tags += nameTags
            if world.drawn {
                tags += zoneTags(instance)
            } else if world.variedZones {
                tags.append("offset_\(instance.offset / 3600)h")
            }
            let underSender = chat.isGroup && random.chance(0.5)
            if underSender { tags.append("group_sender_folders") }
            var folderName = chat.folder
            if let sender = underSender ? message.sender : nil { folderName = ChatKey.digits(of: sender) }
            var transcode: AudioFormat?
            var mtime: Int64?
            if world.drawn {
                // The connected phone's own notes, filed under its own number.
                if message.fromMe && !chat.isGroup && draw(world.ownNumberShare) {
                    folderName = instance.ownNumber
                    tags.append("own_number")
                }
                if draw(world.transcodeShare) {
                    transcode = random.chance(0.6) ? .mp3 : .mp4
                    name = String(name[..<name.lastIndex(of: ".")!]) + (transcode == .mp3 ? ".mp3" : ".m4a")
                    tags.append("transcoded")
                }
                mtime = written + instance.skew
                if draw(world.mtimeCopyShare) {
                    mtime = Self.end + 86_400 * Int64(1 + chat.instance)
                    tags.append("mtime_copy")
                }
            }
            var path = folder(instance: instance, plan: plan, chatFolder: folderName) + "/" + name
            while !paths.insert(path).inserted {
                name = "x" + name
                path = folder(instance: instance, plan: plan, chatFolder: folderName) + "/" + name
            }
            var damage: StorePlan.Damage?
            if draw(world.damagedShare) {
                damage = [.empty, .truncated, .garbage][Int(random.next() % 3)]
                tags.append("damaged")
            }
            plan.files.append(
                .init(
                    path: path, message: index, orphanAudio: nil, damage: damage, written: written, tags: tags,
                    transcode: transcode, mtime: mtime))
        }
        // Re-downloads: the same message a few seconds later, byte for byte.
        let sources = plan.files.indices.filter { plan.files[$0].damage == nil }
        for _ in 0..<min(duplicateCount, sources.count) {
            let source = plan.files[sources[Int(random.next() % UInt64(sources.count))]]
            guard let message = source.message, source.path.contains("/msg_") else { continue }
            let chat = plan.chats[plan.messages[message].chat]
            let instance = plan.instances[chat.instance]
            let written = source.written + 2 + Int64(random.next() % 7)
            let name = String(source.path.split(separator: "/").last!)
            let parts = name.split(separator: "_")
            guard parts.count == 4, source.transcode == nil else { continue }
            let stamp = LocalTime(secondsSinceEpoch: written + instance.offset + instance.skew).compactStamp
            let ext = parts[3].split(separator: ".").last!
            let path = source.path.dropLast(name.count) + "msg_\(parts[1])_\(stamp).\(ext)"
            guard paths.insert(String(path)).inserted else { continue }
            plan.files.append(
                .init(
                    path: String(path), message: message, orphanAudio: nil, damage: nil, written: written,
                    tags: source.tags + ["redownload"], mtime: world.drawn ? written + instance.skew : nil)
            )
        }
        // Orphans: files no message of the database owns, some in folders of deleted chats.
        for _ in 0..<orphanCount {
            let chatIndex = Int(random.next() % UInt64(plan.chats.count))
            var chat = plan.chats[chatIndex]
            if random.chance(0.3) { chat.folder = mobile() }
            let instance = plan.instances[chat.instance]
            let written = Self.end - Self.span + Int64(random.next() % UInt64(Self.span))
            let stamp = LocalTime(secondsSinceEpoch: written + instance.offset + instance.skew).compactStamp
            var token = random.hex(8)
            if world.drawn && random.chance(0.5) {
                // The file of a message deleted since: named from an id of the usual shapes, so
                // its token may well be another message's (`3EB0…` prefixes collide).
                let derivation = instance.derivations[Int(random.next() % UInt64(instance.derivations.count))]
                token = derivation.token(of: drawID())
            }
            let path = folder(of: chat, plan: plan, sender: nil) + "/msg_\(token)_\(stamp).ogg"
            guard paths.insert(path).inserted else { continue }
            let packets = 8 + Int(random.next() % 200)
            plan.files.append(
                .init(
                    path: path, message: nil, orphanAudio: (packets, random.next()), damage: nil, written: written,
                    tags: ["orphans"], mtime: world.drawn ? written + instance.skew : nil))
        }
    }

    /// Values an earlier tool left: mostly wrong (another file of the chat, or a path to nothing),
    /// some right.
    mutating func planStaleLocalPaths(_ plan: inout StorePlan) {
        guard world.staleLocalPathShare > 0 else { return }
        var filesByFolder: [Substring: [Int]] = [:]
        var fileOfMessage: [Int: Int] = [:]
        for (index, file) in plan.files.enumerated() {
            filesByFolder[file.path[..<file.path.lastIndex(of: "/")!], default: []].append(index)
            if let message = file.message, fileOfMessage[message] == nil { fileOfMessage[message] = index }
        }
        for index in plan.messages.indices
        where !plan.messages[index].nonJSON && random.chance(world.staleLocalPathShare) {
            let own = fileOfMessage[index]
            let chat = plan.chats[plan.messages[index].chat]
            let folder = folder(of: chat, plan: plan, sender: nil)
            switch random.next() % 3 {
            case 0 where own != nil:
                plan.messages[index].localPath = plan.files[own!].path
                plan.messages[index].tags.append("stale_local_path_right")
            case 1:
                guard let sibling = filesByFolder[Substring(folder)]?.first, sibling != own else { continue }
                plan.messages[index].localPath = plan.files[sibling].path
                plan.messages[index].tags.append("stale_local_path_wrong")
                plan.files[sibling].tags.append("stale_local_path")
            default:
                plan.messages[index].localPath = folder + "/msg_\(random.hex(8))_20250101_000000.ogg"
                plan.messages[index].tags.append("stale_local_path_missing")
            }
            if let own { plan.files[own].tags.append("stale_local_path") }
        }
    }
}

func pad4(_ value: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
}

/// The first index of `sorted` whose value is at least `value`.
func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
        let mid = (low + high) / 2
        if sorted[mid] < value { low = mid + 1 } else { high = mid }
    }
    return low
}
