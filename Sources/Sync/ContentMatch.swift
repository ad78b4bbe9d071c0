import MatchEngine
import MediaStore
import MessageStore
import Synchronization

/// How a watch links a new note by its content alone, without planning its instance again.
///
/// A message's `fileSha256` is the SHA-256 of the file the gateway downloaded: a file whose bytes
/// hash to the one digest that a single row of its instance declares is that row's file. A whole
/// plan links such a pair too (by `content_hash`) unless something else speaks against it, and
/// every such thing is checked here or by the plan of the pair itself:
///
/// - another row of the instance declaring the same digest (a forwarded note, a re-sent one),
///   or of its client in a chat that names no instance (such rows join every instance of their
///   client): the rows' counts per digest are remembered from the loads;
/// - another file with the same bytes (a second download): two arriving files with one digest,
///   or one already in the chat folder (files of the same size there are hashed to tell);
/// - a row that already holds a `localPath`, a file some row already names;
/// - a pair a person rejected, a veto, a different chat: the pair is planned by the engine (the
///   same strategies, with the instance's calibration pinned) and written only if that plan
///   links it, through the same compare-and-swap writes and journal as a sync.
///
/// A file whose bytes no row declares (a row of an older gateway declares none; a gateway that
/// transcodes declares the bytes it received, not the ones it stored) is identified the same way
/// by its name: the `HASH8` of `msg_` names under the derivation its instance's last plan
/// calibrated, or the whole id of `wapi_` names. The same checks hold, on the rows' names instead
/// of their digests: exactly one row gives the name (counted from the loads: the instance's rows
/// under its derivations, the rows of its client's chats that name no instance under every
/// derivation), no other file of the chat folder carries it, and the pair's own plan links it.
///
/// Whatever fails a check is left to the watch's ordinary batch, which plans the instance whole.
enum ContentMatch {
    /// A file and the row it is expected to be linked to.
    struct Pair: Sendable, Hashable, Codable {
        var file: String
        var rowID: Int64
    }

    /// What ties a file to its row.
    enum Identity: Sendable, Hashable {
        /// The file's bytes are what the row's `fileSha256` declares.
        case content
        /// The file's name carries the token of the row's id (its bytes are no row's).
        case name
    }

    /// The key a file name's token is counted under: `HASH8` packed, or the whole id hashed.
    static func nameKey(_ name: FileName) -> UInt64? {
        guard let token = name.token else { return nil }
        switch name.tokenKind {
        case .hash8: return HashDerivation.pack(token)
        case .fullID: return token.hashValueStable
        case nil: return nil
        }
    }

    /// The keys a row's id gives under `derivations`, and its whole id: each once.
    static func nameKeys(of message: AudioMessage, derivations: [HashDerivation]) -> Set<UInt64> {
        guard let id = message.whatsappID, !id.isEmpty else { return [] }
        var keys: Set<UInt64> = [id.hashValueStable]
        for derivation in derivations { keys.insert(derivation.packedToken(of: id)) }
        return keys
    }
}

/// What a watch remembers from its batches' loads for ``ContentMatch``: per instance, how many
/// rows declare each digest and which paths rows name; the rows read since, not yet linked.
struct ContentMemory: Sendable {
    struct Instance: Sendable {
        /// Rows declaring a digest, by the digest's first eight bytes (a shared head only ever
        /// makes a count larger, so a digest looks unique only when it is).
        var declared: [UInt64: Int32] = [:]
        /// Rows giving a file-name key (``ContentMatch/nameKeys(of:derivations:)``), under
        /// ``derivations``.
        var named: [UInt64: Int32] = [:]
        /// The derivations ``named`` was counted under: the calibration's when the rows were counted.
        var derivations: [HashDerivation] = []
        /// The paths rows name in `localPath`, hashed.
        var claimed: Set<UInt64> = []
        /// The paths the instance's last plan linked (and content batches since), hashed: unlike
        /// ``claimed``, not a row's `localPath` the plan did not confirm (a gateway's claim).
        var planned: Set<UInt64> = []
        /// The calibration of the instance's last plan.
        var calibration: InstanceCalibration?
        /// The weights the instance's last plan scored with (estimated from its pairs, when they were).
        var weights: WeightsReport?
        /// The highest row id counted in ``declared``.
        var countedThrough: Int64 = .min
        /// The client its rows belong to (`core_cliente.id`).
        var client: Int64?
    }

    /// A row read after the last load, with what its write must find unchanged.
    struct PendingRow: Sendable {
        var message: AudioMessage
        var fingerprint: ContentFingerprint
        /// `nil`: a row identified by its file's name only.
        var digest: ContentDigest?
        /// Its name keys under its instance's derivations when it was read (checked again under
        /// the current ones before it is taken).
        var names: Set<UInt64>
    }

    var instances: [String: Instance] = [:]
    /// Rows of chats that name no instance, declaring a digest, per client: they join every
    /// instance of their client (as the engine's partitions take them), so they count in each.
    var clientWide: [Int64: [UInt64: Int32]] = [:]
    /// The file-name keys rows of chats that name no instance give, per client, under every
    /// derivation (their instance's is not known): rivals, by name, to every instance's rows.
    var clientWideNamed: [Int64: [UInt64: Int32]] = [:]
    /// Every row up to this id has been read by a load of the watch's whole scope.
    var readThrough: Int64 = .min
    /// The ids of the rows read in the last ``RecentRowIDs/width`` ids up to ``readThrough``: a row
    /// below it that is not here committed after the read that passed it (``wasRead(_:)``).
    private(set) var recentlyRead: Set<Int64> = []
    /// Rows below ``readThrough`` that committed after a read passed them (``noteLate(_:)``): the
    /// next content batch reads from the first of them.
    private(set) var late: Set<Int64> = []
    /// Rows read after the loads, with a digest and no `localPath`, by row id.
    var pending: [Int64: PendingRow] = [:]
    /// Whether a whole load has been seen: before it, nothing is known about the rows.
    var isReady = false
    /// Rows without a `localPath` read after the loads, until the watch takes them
    /// (``takeArrived()``) to ask whether one may be the row of a file waiting for its row.
    var arrived: [ArrivedRow] = []
    /// An instance's batch planned beside the content batches (``beginFlight(instance:)``).
    private(set) var flight: Flight?

    /// What content batches read and linked while an instance's batch was planned: its load did not
    /// see them, and its absorbing would otherwise forget them (``absorb(_:plan:instance:)``).
    struct Flight: Sendable {
        /// The instance's id.
        var instance: String
        /// Rows read by content batches meanwhile.
        var rows: [AudioMessage] = []
        /// Pairs content batches linked meanwhile.
        var links: [ContentMatch.Pair] = []
    }

    /// Marks the start of an instance's batch planned beside the content batches, before it reads
    /// anything: what they read and link from now on is replayed into what its load tells.
    mutating func beginFlight(instance: String) { flight = Flight(instance: instance) }

    /// Forgets the flight (its batch ended without absorbing: refused, failed).
    mutating func endFlight() { flight = nil }

    /// Takes out of the plan of the instance in flight the links and reviews of the files and rows
    /// content batches linked while it was made: the compare-and-swap write would refuse a row
    /// linked meanwhile, but nothing else keeps a file from being linked to a second row. Returns
    /// how many links it took out.
    mutating func withdrawLinkedMeanwhile(from plan: inout MatchPlan, instance: String?) -> Int {
        guard let flight, flight.instance == instance, !flight.links.isEmpty else { return 0 }
        let rows = Set(flight.links.map(\.rowID))
        let files = Set(flight.links.map(\.file))
        let before = plan.links.count
        plan.links.removeAll { rows.contains($0.messageRowID) || files.contains($0.file) }
        plan.reviews.removeAll { rows.contains($0.messageRowID) || files.contains($0.file) }
        return before - plan.links.count
    }

    /// What says whose file a row read after the loads may name: its instance or client, and its
    /// chat as the engine's blocking compares it with a folder.
    struct ArrivedRow: Sendable {
        var rowID: Int64
        var instanceID: String?
        var chatKeys: ChatKeys
        var senderKey: String?
        var fromMe: Bool

        init(_ message: AudioMessage) {
            rowID = message.rowID
            instanceID = message.instanceID
            chatKeys = message.chatKeys
            senderKey = message.senderKey
            fromMe = message.fromMe
        }
    }

    /// What a load's rows say, counted per instance (and per client, for chats that name no
    /// instance) under the plan's calibration: the part of absorbing a load that takes time (a
    /// fifth of a second for an instance of 100,000 rows), which a batch planned beside the content
    /// batches does before it is the writer they wait for.
    struct LoadCounts: Sendable {
        var instances: [String: Instance] = [:]
        var clientWide: [Int64: [UInt64: Int32]] = [:]
        var clientWideNamed: [Int64: [UInt64: Int32]] = [:]
        /// The highest row id loaded.
        var highest = Int64.min
    }

    static func counts(of load: MessageLoad, calibration: [CalibrationReport]) -> LoadCounts {
        var counts = LoadCounts()
        // The derivations first: the rows' names are counted under them.
        for report in calibration {
            counts.instances[report.instanceID, default: Instance()].calibration = report.calibration
            counts.instances[report.instanceID, default: Instance()].derivations = report.calibration.hashDerivations
            counts.instances[report.instanceID, default: Instance()].weights = report.weights
        }
        // Each instance's rows are counted into its own tables, so the instances are counted on
        // every core: one after another, a million rows' hash tables took 3.5 s of the run that
        // leaves a base. In load order within an instance, as one thread would count them; a path
        // a row names may be another instance's, and is claimed there after.
        var byInstance: [String: [Int]] = [:]
        var withoutInstance: [Int] = []
        for (position, message) in load.messages.enumerated() {
            counts.highest = max(counts.highest, message.rowID)
            if let id = message.instanceID {
                byInstance[id, default: []].append(position)
            } else {
                withoutInstance.append(position)
            }
        }
        let ids = Array(byInstance.keys)
        let (seeded, grouped, messages) = (counts.instances, byInstance, load.messages)
        let counted: [(id: String, entry: Instance, claims: [(instance: String, path: UInt64)])] = parallelMap(
            count: ids.count, minimumChunk: 1
        ) { range in
            range.map { position in
                let id = ids[position]
                var entry = seeded[id] ?? Instance()
                var claims: [(instance: String, path: UInt64)] = []
                for index in grouped[id] ?? [] {
                    let message = messages[index]
                    add(message, to: &entry)
                    if let claim = claim(of: message) { claims.append(claim) }
                }
                return (id, entry, claims)
            }
        }
        for instance in counted { counts.instances[instance.id] = instance.entry }
        for instance in counted {
            for claim in instance.claims {
                counts.instances[claim.instance, default: Instance()].claimed.insert(claim.path)
            }
        }
        for index in withoutInstance {
            count(
                messages[index], in: &counts.instances, clientWide: &counts.clientWide,
                clientWideNamed: &counts.clientWideNamed)
        }
        return counts
    }

    /// Takes what a batch's plan was made from: the rows of `instance` (`nil`: the watch's whole
    /// scope) as loaded, and the plan's calibration and links.
    ///
    /// - Parameter counted: the load's counts (``counts(of:calibration:)``), when they were taken
    ///   beforehand.
    mutating func absorb(
        _ load: MessageLoad, plan: MatchPlan, instance: String?, counted: consuming LoadCounts? = nil
    ) {
        var counts = (consume counted) ?? Self.counts(of: load, calibration: plan.calibration)
        // Taken out, so that the tables added to below are not copied first (a whole store's: a
        // hundred megabytes).
        var fresh = counts.instances
        counts.instances = [:]
        let freshClientWide = counts.clientWide
        let freshClientWideNamed = counts.clientWideNamed
        let highest = counts.highest
        func linked(_ path: String) {
            guard let id = Self.instanceID(ofPath: path) else { return }
            let key = Self.pathKey(path)
            fresh[id, default: Instance()].claimed.insert(key)
            fresh[id, default: Instance()].planned.insert(key)
        }
        for link in plan.links {
            linked(link.file)
            for duplicate in link.duplicates { linked(duplicate) }
        }
        // The rows content batches read while this instance's batch was planned, which its load did
        // not see: counted as they were (a digest two rows declare must not look like one row's).
        let inFlight = instance != nil && flight?.instance == instance ? flight : nil
        if let inFlight, let instance, !inFlight.rows.isEmpty {
            let loaded = Set(load.messages.lazy.map(\.rowID))
            var otherClients: [Int64: [UInt64: Int32]] = [:]
            var otherClientsNamed: [Int64: [UInt64: Int32]] = [:]
            for message in inFlight.rows where !loaded.contains(message.rowID) {
                if message.instanceID == instance {
                    Self.count(message, in: &fresh, clientWide: &otherClients, clientWideNamed: &otherClientsNamed)
                } else if let path = message.localPath.map(normalisedLocalPath),
                    Self.instanceID(ofPath: path) == instance
                {
                    fresh[instance, default: Instance()].claimed.insert(Self.pathKey(path))
                }
            }
        }
        // Rows the watch had not read before this load (the first load reads none as new: most rows
        // of a store never get a file) and the pending ones, while they still declare bytes, hold
        // no `localPath` and the plan did not link them: their files may be on their way (left
        // out of the batch as still arriving, or not there yet). Pending rows of the scope that
        // the load no longer has are gone.
        let newAfter: Int64 =
            if let instance { instances[instance]?.countedThrough ?? .max } else { isReady ? readThrough : .max }
        let planned = Set(plan.links.map(\.messageRowID))
        // A load of one instance reads its client's chats that name no instance too (as the
        // instance's part of a whole plan holds them); other clients' and instances' rows stay.
        let client = instance.flatMap { fresh[$0]?.client ?? instances[$0]?.client }
        var next = pending.filter { row, pending in
            guard !planned.contains(row) else { return false }
            guard let instance else { return row > highest }
            let read =
                pending.message.instanceID == instance
                || (pending.message.instanceID == nil && pending.message.clientID == client)
            return row > highest || !read
        }
        for (position, message) in load.messages.enumerated()
        where message.rowID > newAfter || pending[message.rowID] != nil {
            guard Self.mayGetFile(message), !planned.contains(message.rowID) else { continue }
            next[message.rowID] = PendingRow(
                message: message, fingerprint: load.fingerprints[position], digest: message.fileSHA256,
                names: Self.names(
                    of: message, in: fresh[message.instanceID ?? ""] ?? instances[message.instanceID ?? ""]))
        }
        pending = next
        // What content batches linked meanwhile, which the load read unlinked.
        for pair in inFlight?.links ?? [] {
            pending[pair.rowID] = nil
            guard let id = Self.instanceID(ofPath: pair.file), id == instance else { continue }
            fresh[id, default: Instance()].claimed.insert(Self.pathKey(pair.file))
            fresh[id, default: Instance()].planned.insert(Self.pathKey(pair.file))
        }
        flight = nil
        if let instance {
            // One instance read again: the others stay as they were. Its rows are counted, so a row
            // of it that came late is read now (``wasRead(_:)``).
            let start = RecentRowIDs.start(below: readThrough)
            recentlyRead.formUnion(load.messages.lazy.map(\.rowID).filter { $0 > start })
            var entry = fresh[instance] ?? Instance()
            entry.countedThrough = max(entry.countedThrough, highest)
            instances[instance] = entry
        } else {
            instances = fresh
            // A load of one instance reads its client's chats without an instance but not the other
            // clients': only a whole one counts them all.
            clientWide = freshClientWide
            clientWideNamed = freshClientWideNamed
            readThrough = max(readThrough, highest)
            let start = RecentRowIDs.start(below: highest)
            recentlyRead.formUnion(load.messages.lazy.map(\.rowID).filter { $0 > start })
            forgetOldReads()
            isReady = true
        }
    }

    /// Takes rows read after ``readThrough``: counted where no load counted them, kept while they
    /// may still get their file.
    mutating func absorbNew(_ load: MessageLoad) {
        let before = readThrough
        defer {
            // Read now, or gone, or not an audio row the load can use: not looked for again.
            late.removeAll()
            forgetOldReads()
        }
        for (position, message) in load.messages.enumerated() {
            // Below what was read before, only the rows that came late: the others are counted.
            guard message.rowID > before || late.contains(message.rowID) else { continue }
            flight?.rows.append(message)
            readThrough = max(readThrough, message.rowID)
            recentlyRead.insert(message.rowID)
            if message.localPath == nil { arrived.append(ArrivedRow(message)) }
            // A row of no instance is read only here, after every load that counted its client's; a
            // row that came late, by no load either.
            if message.rowID <= before
                || message.rowID > message.instanceID.flatMap({ instances[$0]?.countedThrough }) ?? .min
            {
                Self.count(message, in: &instances, clientWide: &clientWide, clientWideNamed: &clientWideNamed)
            }
            if Self.mayGetFile(message) {
                pending[message.rowID] = PendingRow(
                    message: message, fingerprint: load.fingerprints[position], digest: message.fileSHA256,
                    names: Self.names(of: message, in: instances[message.instanceID ?? ""]))
            }
        }
    }

    /// Where the next content batch reads from: after ``readThrough``, or before the first row that
    /// came late.
    var readAfter: Int64 { late.min().map { min($0 - 1, readThrough) } ?? readThrough }

    /// Of `rows`, those that committed after a read passed them (no read took them: ``wasRead(_:)``),
    /// kept for the next content batch to read.
    mutating func noteLate(_ rows: some Sequence<Int64>) -> [Int64] {
        let unread = rows.filter { !wasRead($0) }
        late.formUnion(unread)
        return unread
    }

    /// Whether a row below ``readThrough`` was read when a load passed it; `true` above it, where
    /// the next content batch reads it. `false` is a row committed after a row of a higher id was
    /// read (PostgreSQL), or an audio row the load could not use.
    func wasRead(_ rowID: Int64) -> Bool {
        rowID > readThrough || rowID <= RecentRowIDs.start(below: readThrough) || recentlyRead.contains(rowID)
    }

    private mutating func forgetOldReads() {
        let low = RecentRowIDs.start(below: readThrough)
        if recentlyRead.contains(where: { $0 <= low }) { recentlyRead = recentlyRead.filter { $0 > low } }
    }

    /// A pending row's name keys: only a row of an instance is identified by name.
    private static func names(of message: AudioMessage, in entry: Instance?) -> Set<UInt64> {
        guard message.instanceID != nil, let entry else { return [] }
        return ContentMatch.nameKeys(of: message, derivations: entry.derivations)
    }

    /// Whether a row may still get its file linked by a content batch: it names none yet, and
    /// declares its bytes or belongs to an instance (whose rows' names are counted).
    private static func mayGetFile(_ message: AudioMessage) -> Bool {
        message.localPath == nil && (message.fileSHA256 != nil || message.instanceID != nil)
    }

    /// Counts a row's digest and names in its instance (or its client's, for a chat with no
    /// instance) and its `localPath` in the instance the path names.
    private static func count(
        _ message: AudioMessage, in instances: inout [String: Instance], clientWide: inout [Int64: [UInt64: Int32]],
        clientWideNamed: inout [Int64: [UInt64: Int32]]
    ) {
        if let id = message.instanceID {
            // In place: an instance taken out of the dictionary and put back would copy its
            // tables once a row.
            add(message, to: &instances[id, default: Instance()])
        } else {
            for key in ContentMatch.nameKeys(of: message, derivations: HashDerivation.allCases) {
                clientWideNamed[message.clientID, default: [:]][key, default: 0] += 1
            }
            if let digest = message.fileSHA256 {
                clientWide[message.clientID, default: [:]][head(digest), default: 0] += 1
            }
        }
        if let claim = claim(of: message) { instances[claim.instance, default: Instance()].claimed.insert(claim.path) }
    }

    /// Counts a row of the instance in its tables: the digest it declares, its name keys.
    private static func add(_ message: AudioMessage, to entry: inout Instance) {
        if let digest = message.fileSHA256 { entry.declared[head(digest), default: 0] += 1 }
        for key in ContentMatch.nameKeys(of: message, derivations: entry.derivations) {
            entry.named[key, default: 0] += 1
        }
        entry.client = message.clientID
        entry.countedThrough = max(entry.countedThrough, message.rowID)
    }

    /// The instance whose file a row's `localPath` names, and the path's key: a claim on it.
    private static func claim(of message: AudioMessage) -> (instance: String, path: UInt64)? {
        guard let path = message.localPath.map(normalisedLocalPath), let id = instanceID(ofPath: path) else {
            return nil
        }
        return (id, pathKey(path))
    }

    /// Forgets the oldest pending rows beyond `limit`: a row whose file never comes must not be
    /// kept for ever (a later sync still links it).
    mutating func trimPending(to limit: Int) {
        guard pending.count > limit else { return }
        for rowID in pending.keys.sorted().prefix(pending.count - limit) { pending[rowID] = nil }
    }

    /// The one pending row a file with these bytes, in this instance, can be linked to by its
    /// content; `nil` when there is none or it is not the only row declaring them among the rows
    /// the instance's plan would see (its own and its client's of no instance).
    func row(for digest: ContentDigest, instance: String, path: String) -> PendingRow? {
        guard let entry = instances[instance], !entry.claimed.contains(Self.pathKey(path)) else { return nil }
        let head = Self.head(digest)
        let shared = entry.client.flatMap { clientWide[$0]?[head] } ?? 0
        guard (entry.declared[head] ?? 0) + shared == 1 else { return nil }
        let rows = pending.values.filter {
            $0.digest == digest
                && ($0.message.instanceID == instance
                    || ($0.message.instanceID == nil && $0.message.clientID == entry.client))
        }
        return rows.count == 1 ? rows[0] : nil
    }

    /// The one pending row of `instance` whose id gives this file name's token, under the instance's calibrated derivations (or as the whole id); `nil` when
    /// there is none, when another row gives it too (of the instance, or of a chat of its client
    /// that names no instance, under any derivation), or when the file's bytes are some row's.
    func row(forName name: FileName, digest: ContentDigest?, instance: String, path: String) -> PendingRow? {
        guard let key = ContentMatch.nameKey(name), let entry = instances[instance],
            name.tokenKind == .fullID || !entry.derivations.isEmpty, let client = entry.client,
            !entry.claimed.contains(Self.pathKey(path)),
            (entry.named[key] ?? 0) + (clientWideNamed[client]?[key] ?? 0) == 1
        else { return nil }
        if let digest, (entry.declared[Self.head(digest)] ?? 0) + (clientWide[client]?[Self.head(digest)] ?? 0) > 0 {
            return nil
        }
        let rows = pending.values.filter {
            $0.names.contains(key) && $0.message.instanceID == instance
                && ContentMatch.nameKeys(of: $0.message, derivations: entry.derivations).contains(key)
        }
        return rows.count == 1 ? rows[0] : nil
    }

    /// Why ``row(for:instance:path:)`` found no row for a file with these bytes: for the log.
    func whyNoRow(for digest: ContentDigest, instance: String, path: String) -> String {
        guard let entry = instances[instance] else { return "no load has read a row of its instance" }
        if entry.claimed.contains(Self.pathKey(path)) { return "a row already names the file" }
        let head = Self.head(digest)
        let count = (entry.declared[head] ?? 0) + (entry.client.flatMap { clientWide[$0]?[head] } ?? 0)
        if count != 1 { return "\(count) rows declare its bytes" }
        return "the row declaring its bytes is not a new row without a localPath"
    }

    /// The rows read since the last call (``arrived``), and forgets them.
    mutating func takeArrived() -> [ArrivedRow] {
        defer { arrived.removeAll() }
        return arrived
    }

    /// Whether `row` may be the row of the file at `path` (relative to the media root), by what a
    /// whole plan's blocking would let meet: a row of the file's instance, or of its client's
    /// chats that name no instance, whose chat the folder may hold (the same chat under any
    /// normalisation, a group note under its sender's folder or naming no sender, a note the phone
    /// sent under its own number), or any such row when the profile lets chats cross. A path
    /// outside `Client/instance_ID/chats/Chat/` may be anyone's.
    func mayBeRow(_ row: ArrivedRow, ofFileAt path: String, allowCrossChat: Bool) -> Bool {
        guard let instance = Self.instanceID(ofPath: path), let folder = ScanScope.chatFolder(of: path) else {
            return true
        }
        let parts = folder.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return true }
        let keys = FolderKeys(chatFolder: String(parts[3]), clientFolder: String(parts[0]))
        guard row.instanceID == instance || (row.instanceID == nil && row.chatKeys.client == keys.client) else {
            return false
        }
        if allowCrossChat { return true }
        let relation = ChatRelation(
            folder: keys, chat: row.chatKeys, senderKey: row.senderKey, fromMe: row.fromMe,
            ownNumberFolder: instances[instance]?.calibration?.ownNumberFolder)
        return relation != .different
    }

    /// Whether the last plan of the file's instance linked the file at `path` (relative to the
    /// media root), or a content batch since. A row's `localPath` alone does not count: a gateway
    /// may write the path it will download to, which a plan has yet to confirm.
    func isPlanned(_ path: String) -> Bool {
        guard let id = Self.instanceID(ofPath: path) else { return false }
        return instances[id]?.planned.contains(Self.pathKey(path)) ?? false
    }

    /// Notes links a content batch wrote.
    mutating func linked(_ pairs: some Sequence<ContentMatch.Pair>) {
        for pair in pairs {
            flight?.links.append(pair)
            pending[pair.rowID] = nil
            if let id = Self.instanceID(ofPath: pair.file) {
                instances[id, default: Instance()].claimed.insert(Self.pathKey(pair.file))
                instances[id, default: Instance()].planned.insert(Self.pathKey(pair.file))
            }
        }
    }

    static func head(_ digest: ContentDigest) -> UInt64 { digest.head }

    /// 8 bytes a claimed path instead of the path.
    static func pathKey(_ path: String) -> UInt64 { path.hashValueStable }

    /// The instance id of a path `Client/instance_ID/…`.
    static func instanceID(ofPath path: String) -> String? { BatchScope.instanceID(ofPath: path) }
}

/// A value handed over once: what a batch counted before it was the writer, taken by the step it
/// runs as the writer, so that nothing else holds the tables it goes on adding to.
final class HandedOver<Value: Sendable>: Sendable {
    private let value: Mutex<Value?>

    init(_ value: Value) { self.value = Mutex(value) }

    func take() -> Value? {
        value.withLock { value in
            defer { value = nil }
            return value
        }
    }
}

/// ``ContentMemory`` shared with the batches' observer, which runs inside a sync.
final class ContentMemoryBox: Sendable {
    let memory = Mutex(ContentMemory())
    let listings = Mutex(ChatFolderListings())
    /// Instances' plans kept warm, by instance id (``WarmState``).
    let warm = Mutex([String: WarmState]())
    /// The last links content and warm batches wrote: a plan kept warm whose load began before some
    /// of them takes them when it is kept (``WarmLinks``).
    let recentLinks = Mutex(WarmLinks())
}

/// The last links the watch's content and warm batches wrote, for plans kept warm that loaded before
/// them: taking one again is harmless, so only the number kept bounds it.
struct WarmLinks: Sendable {
    private(set) var pairs: [ContentMatch.Pair] = []
    static let limit = 10_000

    mutating func append(_ linked: some Sequence<ContentMatch.Pair>) {
        pairs.append(contentsOf: linked)
        if pairs.count > Self.limit { pairs.removeFirst(pairs.count - Self.limit) }
    }
}
