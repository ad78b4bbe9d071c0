import Crypto

/// A walk of the store, before anything is probed: every audio candidate's path, size and
/// modification time, the files passed over, and a fingerprint of all of it.
///
/// An incremental sync compares the fingerprint with the one it remembered: equal fingerprints
/// mean the same files with the same sizes and times, so the probes, the digests and the plan
/// made from them would be the same too. Walking costs a `stat` per file; probing, hashing and
/// matching are what an unchanged store is spared.
public struct StoreWalk: Sendable {
    let walker: StoreWalker
    /// The real path of the media root.
    let realRoot: String
    /// SHA-256 (hex) over the root's real path, every candidate's path, raw name, link target,
    /// size and mtime in walk order, and the skipped files by reason.
    public let fingerprint: String
    /// Seconds the walk took.
    public let seconds: Double

    init(walker: StoreWalker, realRoot: String, seconds: Double) {
        self.walker = walker
        self.realRoot = realRoot
        self.seconds = seconds
        fingerprint = Self.fingerprint(of: walker, root: realRoot)
    }

    /// The same walk without the files at these paths (relative to the media root), which are
    /// counted as ``SkipReason/stillArriving``: what `watch` does with files that have not settled.
    public func leavingOut(_ relativePaths: Set<String>) -> StoreWalk {
        guard !relativePaths.isEmpty else { return self }
        var walker = walker
        walker.leaveOut(relativePaths)
        return StoreWalk(walker: walker, realRoot: realRoot, seconds: seconds)
    }

    /// The same walk with only the files at these paths (relative to the media root); the others
    /// are not counted anywhere: what a watch's content batch scans of the chat folders it walked.
    public func keepingOnly(_ relativePaths: Set<String>) -> StoreWalk {
        var walker = walker
        walker.keepOnly(relativePaths)
        return StoreWalk(walker: walker, realRoot: realRoot, seconds: seconds)
    }

    /// Each candidate's key (``fileKey(_:)``), sorted: what a sync remembers of the walk to tell,
    /// next time, the files added since from files changed or gone (2.4 MB for 300,000 files).
    public var fileKeys: [UInt64] { walker.candidates.map(Self.fileKey).sorted() }

    /// The files of this walk whose keys are not among `remembered` (sorted, as ``fileKeys``),
    /// relative to the media root, and how many of `remembered` this walk does not hold: a file
    /// gone, renamed, rewritten or touched since.
    public func added(since remembered: [UInt64]) -> (files: [String], gone: Int) {
        var added: [String] = []
        var found = 0
        for candidate in walker.candidates {
            let key = Self.fileKey(candidate)
            if Self.contains(remembered, key) { found += 1 } else { added.append(candidate.relativePath) }
        }
        return (added, remembered.count - found)
    }

    /// A candidate's path, raw name, link target, size and mtime, hashed (FNV-1a, 64 bits): what
    /// ``fingerprint`` covers of it. Two files of one store share a key once in 2⁶⁴ pairs.
    static func fileKey(_ candidate: StoreWalker.Candidate) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        func mix(_ byte: UInt8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        for byte in candidate.relativePath.utf8 { mix(byte) }
        mix(0)
        for byte in candidate.rawName ?? [] { mix(byte) }
        mix(0)
        for byte in candidate.linkTarget?.utf8 ?? "".utf8 { mix(byte) }
        mix(0)
        for value in [candidate.size, candidate.mtimeNanoseconds] {
            withUnsafeBytes(of: value.littleEndian) { for byte in $0 { mix(byte) } }
        }
        return hash
    }

    private static func contains(_ sorted: [UInt64], _ key: UInt64) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == key
    }

    /// The candidates in these chat folders (``ScanScope/chatFolder(of:)``), by folder: each
    /// walked folder's chat folder is found once, not once a file.
    public func sizes(inChatFolders chatFolders: Set<String>) -> [String: [(path: String, size: Int64)]] {
        let chatFolderOf = walker.folders.map { folder -> String? in
            ScanScope.chatFolder(of: folder.relativePrefix + "f").flatMap { chatFolders.contains($0) ? $0 : nil }
        }
        var sizes: [String: [(path: String, size: Int64)]] = [:]
        for candidate in walker.candidates {
            guard let chatFolder = chatFolderOf[Int(candidate.folder)] else { continue }
            sizes[chatFolder, default: []].append((candidate.relativePath, candidate.size))
        }
        return sizes
    }

    /// Each candidate's path (relative to the media root) and size in bytes, in walk order.
    public var sizes: [(path: String, size: Int64)] {
        walker.candidates.map { ($0.relativePath, $0.size) }
    }

    /// Walk order is the directories' own order, which an unchanged folder keeps; a folder whose
    /// order changed without its files changing costs one full run, never a missed change.
    /// The root is part of it: one cache file may serve two stores (`--probe-cache`).
    static func fingerprint(of walker: StoreWalker, root: String) -> String {
        var hasher = SHA256()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        buffer.append(contentsOf: root.utf8)
        buffer.append(0)
        func appendInteger(_ value: Int64) {
            withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
        }
        for candidate in walker.candidates {
            buffer.append(contentsOf: candidate.relativePath.utf8)
            buffer.append(0)
            if let raw = candidate.rawName { buffer.append(contentsOf: raw) }
            buffer.append(0)
            if let target = candidate.linkTarget { buffer.append(contentsOf: target.utf8) }
            buffer.append(0)
            appendInteger(candidate.size)
            appendInteger(candidate.mtimeNanoseconds)
            if buffer.count >= 1 << 16 - 1_024 {
                hasher.update(data: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        for (reason, count) in walker.skipped.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            buffer.append(contentsOf: reason.rawValue.utf8)
            buffer.append(0)
            appendInteger(Int64(count))
        }
        hasher.update(data: buffer)
        return hexDigits(hasher.finalize())
    }
}
