import Foundation
import Logging
import MatchEngine
import MediaStore
import MessageStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `sync` remembers between runs, in the probe cache beside the probes: the fingerprint of
/// the inputs a plan *with nothing to write* was made from, and that plan's figures.
///
/// A plan is a function of its inputs (files, rows, chats, clients, rejections, profile, options,
/// and the binary that plans), so a later run whose inputs fingerprint the same would make the
/// same plan, and it too would have nothing to write. Such a run skips probing, loading and
/// matching and reports the remembered figures (``SyncReport/unchangedSince``). Anything else —
/// a file added, renamed, removed or touched, a row inserted, edited or deleted, a link removed by
/// hand, a new rejection, another profile or binary — makes the whole run, as `--full` does.
struct SyncMemory: Codable, Sendable {
    var inputs: String
    /// Unix seconds.
    var recordedAt: Int64
    var scan: SyncReport.ScanSummary
    var load: LoadReport
    var counts: SyncReport.Counts
    var changes: SyncReport.ChangeSummary

    /// The probe-cache key: the database as shown (no secret) and the scope. A database file's path
    /// is made absolute, so that a sync run from the database's folder (`--database db.sqlite`) and
    /// a watch given the whole path find the same memory.
    static func key(database: String, location: DatabaseLocation) -> String {
        let shown =
            database.contains("://") ? database : URL(fileURLWithPath: database).standardizedFileURL.path
        return "sync \(shown) client=\(location.client ?? "*") instance=\(location.instance ?? "*")"
    }

    func encoded() -> [UInt8]? { try? Array(JSONEncoder().encode(self)) }
}

extension SyncMemory {
    /// What ``encoded()`` wrote, or `nil` (a memory from another version is simply not used).
    init?(decoding bytes: [UInt8]) {
        guard let memory = try? JSONDecoder().decode(SyncMemory.self, from: Data(bytes)) else { return nil }
        self = memory
    }
}

/// The fingerprint of everything a sync's plan depends on, in three parts: the rows (and their
/// chats), the files (the walk), and the rest (clients and instances, rejections, profile,
/// options, the binary).
struct SyncInputsFingerprint: Sendable {
    var rows: AudioRowsFingerprint
    var files: String
    var rest: ContentFingerprint

    init(
        rows: AudioRowsFingerprint, files: String, tenancy: Tenancy, rejections: Set<Matcher.RejectedPair>,
        profile: String, options: SyncOptions, location: DatabaseLocation
    ) {
        self.rows = rows
        self.files = files
        var text = "binary \(Self.binaryIdentity)\nversion \(audiosyncVersion)\n"
        text += "repair \(options.repair)\nurl \(options.urlTemplate)\n"
        text += "client \(location.client ?? "*")\ninstance \(location.instance ?? "*")\n"
        for (id, name) in tenancy.clients.sorted(by: { $0.key < $1.key }) { text += "client \(id) \(name)\n" }
        for (instance, owners) in tenancy.instanceOwners.sorted(by: { $0.key < $1.key }) {
            text += "instance \(instance) \(owners.sorted())\n"
        }
        for pair in rejections.sorted(by: { ($0.file, $0.messageRowID) < ($1.file, $1.messageRowID) }) {
            text += "rejected \(pair.messageRowID) \(pair.file)\n"
        }
        text += "profile\n" + profile
        rest = ContentFingerprint(text)
    }

    var text: String {
        "rows \(rows.rows) \(rows.highestRowID) \(rows.digest) files \(files) rest \(rest)"
    }

    /// The running binary's size and modification time: a rebuilt or upgraded audiosync may plan
    /// differently, so what an older one remembered does not hold for it.
    static let binaryIdentity: String = {
        var info = stat()
        #if os(Linux)
            let path = "/proc/self/exe"
        #else
            let path = CommandLine.arguments.first ?? ""
        #endif
        guard stat(path, &info) == 0 else { return "unknown \(ProcessInfo.processInfo.processIdentifier)" }
        #if os(Linux)
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #else
            let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #endif
        return "\(info.st_size) \(modified) \(info.st_ino)"
    }()
}

/// The first step of a sync that may reuse: fingerprint the inputs and recall what was remembered
/// under them; and, after a plan with nothing to write, remember it.
struct UnchangedCheck: Sendable {
    let key: String
    /// The rows' fingerprint before the load.
    let rows: AudioRowsFingerprint
    /// The walk, which the scan goes on from when the run is not skipped.
    let walk: StoreWalk
    let fingerprint: SyncInputsFingerprint
    /// What was remembered under the same fingerprint, when it was.
    let memory: SyncMemory?
    /// The fingerprints' cost: the rows' as `load`, the walk's as `scan`.
    let timings: SyncReport.Timings
    /// Set when the only changes since the last whole plan with nothing to write are additions
    /// (``AdditionsBase``).
    let additions: SyncAdditions?
    private let scanner: MediaStoreScanner
    private let profile: String
    private let options: SyncOptions
    private let database: DatabaseLocation
    private let logger: Logger

    static func make(
        store: any MessageDatabase, database: DatabaseLocation, media: MediaLocation, profile: String,
        options: SyncOptions, logger: Logger, readBase: Bool = false, progress: SyncRunner.Progress?
    ) async throws -> UnchangedCheck {
        let clock = ContinuousClock()
        var timings = SyncReport.Timings()
        let started = clock.now
        let scope = try await database.scanScope(in: store)
        let key = SyncMemory.key(database: store.displayLocation, location: database)
        let scanner = media.scanner(logger: logger)
        // The last whole plan's base, when additions may be taken from it: its rows are summed in
        // the same read.
        let takesAdditions = database.instance == nil && !options.repair && options.stillArriving.isEmpty
        let head =
            takesAdditions
            ? scanner.recall(AdditionsBase.headKey(key)).flatMap {
                try? JSONDecoder().decode(AdditionsBase.Head.self, from: Data($0))
            } : nil
        // The rows are read on the database's thread while this one walks the store: on two cores
        // the two take as long as the longer, which is most of what an unchanged run costs.
        async let rowsRead = SyncInputs.timed {
            try await store.audioRowsFingerprint(scope: database.messageScope, sumThrough: head?.rows.through)
        }
        let walk = try scanner.walk(scope: scope) { update in
            progress?("scan", update.probed, update.candidates)
        }.leavingOut(options.stillArriving)
        timings.scan = walk.seconds
        let (rows, rowSeconds) = try await rowsRead
        let others = clock.now
        let tenancy = try await SyncInputs.readTenancy(store)
        let rejections = try await SyncInputs.readRejections(store)
        timings.load = rowSeconds + (clock.now - others).seconds
        logger.debug("fingerprinted", metadata: ["seconds": "\((clock.now - started).seconds)"])
        let fingerprint = SyncInputsFingerprint(
            rows: rows, files: walk.fingerprint, tenancy: tenancy, rejections: rejections, profile: profile,
            options: options, location: database)
        let remembered = scanner.recall(key).flatMap(SyncMemory.init(decoding:))
        let memory = remembered?.inputs == fingerprint.text ? remembered : nil
        var additions: SyncAdditions?
        // Read when nothing changed too, for a caller that starts from the base (a watch).
        if memory == nil || readBase, let head, head.version == 1, rows.sum == head.rows,
            fingerprint.rest.description == head.rest,
            let body = scanner.recall(AdditionsBase.bodyKey(key)).flatMap(AdditionsBase.decodeBody),
            body.chats.allSatisfy({ rows.chats[$0.key] == $0.value })
        {
            let (files, gone) = walk.added(since: body.fileKeys)
            logger.debug(
                "the last whole plan's base read", metadata: ["seconds": "\((clock.now - started).seconds)"])
            if gone == 0 {
                additions = SyncAdditions(head: head, memory: body.memory, files: files)
            } else {
                logger.debug("files changed or gone since the last whole plan", metadata: ["files": "\(gone)"])
            }
        }
        logger.debug(
            "inputs fingerprinted",
            metadata: [
                "inputs": "\(fingerprint.text)", "remembered": "\(remembered?.inputs ?? "nothing")",
                "unchanged": "\(memory != nil)",
            ])
        return UnchangedCheck(
            key: key, rows: rows, walk: walk, fingerprint: fingerprint, memory: memory, timings: timings,
            additions: additions, scanner: scanner, profile: profile, options: options, database: database,
            logger: logger)
    }

    /// Remembers a plan that had nothing to write, under the fingerprint of what it was made from:
    /// the rows as fingerprinted before the load (still so after the plan, or nothing is
    /// remembered: someone wrote meanwhile), the walk the scan went on from, and the clients and
    /// rejections the plan read.
    ///
    /// A whole run's plan (not one narrowed to an instance, nor a repair) also leaves the base that
    /// later runs take additions from (``AdditionsBase``).
    ///
    /// - Parameter storedMemory: the base's memory as stored (``ContentMemory/stored()``), when the
    ///   caller has counted the load already (a watch's first batch); `nil`: counted here.
    func remember(
        _ report: SyncReport, inputs: SyncInputs, store: any MessageDatabase, storedMemory: (() -> [UInt8]?)? = nil
    ) async {
        let after: AudioRowsFingerprint
        do {
            after = try await store.audioRowsFingerprint(scope: database.messageScope, sumThrough: .max)
            guard after.rows == rows.rows, after.highestRowID == rows.highestRowID, after.digest == rows.digest
            else {
                logger.info("rows changed while this run planned; nothing remembered for the next run")
                return
            }
        } catch {
            logger.warning("rows not fingerprinted after the plan; nothing remembered: \(error)")
            return
        }
        let planned = SyncInputsFingerprint(
            rows: rows, files: walk.fingerprint, tenancy: inputs.tenancy, rejections: inputs.rejections,
            profile: profile, options: options, location: database)
        let memory = SyncMemory(
            inputs: planned.text, recordedAt: Int64(Date().timeIntervalSince1970), scan: report.scan, load: report.load,
            counts: report.counts, changes: report.changes)
        guard let bytes = memory.encoded() else { return }
        scanner.remember(bytes, as: key)
        if database.instance == nil, !options.repair, options.stillArriving.isEmpty, var sum = after.sum {
            sum.through = after.highestRowID
            rememberBase(
                rows: sum, chats: after.chats, rest: planned.rest.description, report: report, inputs: inputs,
                storedMemory: storedMemory)
        }
    }

    /// What the whole plan leaves for additions: its walk's keys, and the watch's memory of its
    /// load and links.
    private func rememberBase(
        rows: RowsSum, chats: [Int64: UInt64], rest: String, report: SyncReport, inputs: SyncInputs,
        storedMemory: (() -> [UInt8]?)?
    ) {
        let clock = ContinuousClock()
        let started = clock.now
        var memory = ContentMemory()
        if storedMemory == nil { memory.absorb(inputs.load, plan: report.plan, instance: nil) }
        let counted = clock.now
        guard let stored = storedMemory?() ?? memory.stored() else { return }
        let encoded = clock.now
        let base = AdditionsBase(
            head: .init(rest: rest, rows: rows, recordedAt: Int64(Date().timeIntervalSince1970)),
            fileKeys: walk.fileKeys, chats: chats, memory: stored)
        guard let head = try? JSONEncoder().encode(base.head) else { return }
        // The body first: a head names a body that is there.
        scanner.remember(base.encodedBody, as: AdditionsBase.bodyKey(key))
        scanner.remember(Array(head), as: AdditionsBase.headKey(key))
        scanner.remember(Array("[]".utf8), as: AdditionsBase.linkedKey(key))
        logger.debug(
            "remembered the base for additions",
            metadata: [
                "bytes": "\(stored.count)", "seconds": "\((clock.now - started).seconds)",
                "count_s": "\((counted - started).seconds)", "encode_s": "\((encoded - counted).seconds)",
            ])
    }
}
