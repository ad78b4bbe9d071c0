import MediaStore

/// What a watch knows of the store's chat folders for its content batches: each file's size and
/// name, so that a new file's twins (the same bytes, or the same token) are found without walking
/// a folder of thousands of files again for every batch.
///
/// Each ordinary batch lists the chat folders it scanned (the first, the whole store); a folder
/// no batch scanned is walked the first time a content batch needs it. After that the watch's own
/// file events add what arrives (every file created or moved into the tree is an arrival). A file removed since
/// stays listed: it can only make a twin check hash a file that is gone, or see a namesake that is
/// not there, and either leaves the note to an ordinary batch. When the system drops events
/// (an overflow) the listings are forgotten and folders are walked again.
struct ChatFolderListings: Sendable {
    /// One folder's files: their names below the folder (`audio/msg_….ogg`) in one buffer, and
    /// (size, offset) pairs sorted by size. About 60 bytes a file, where a dictionary of arrays of
    /// strings took three times that (a store of 300,000 files, every folder listed: 50 MiB).
    struct Folder: Sendable {
        var names: [UInt8] = []
        var bySize: [Entry] = []

        struct Entry: Sendable {
            var size: Int64
            var offset: Int32
            var length: Int32
        }

        func name(_ entry: Entry) -> String {
            String(decoding: names[Int(entry.offset)..<Int(entry.offset + entry.length)], as: UTF8.self)
        }

        /// The first entry of at least `size`.
        func lowerBound(_ size: Int64) -> Int {
            var (low, high) = (0, bySize.count)
            while low < high {
                let middle = (low + high) / 2
                if bySize[middle].size < size { low = middle + 1 } else { high = middle }
            }
            return low
        }

        func names(ofSize size: Int64) -> [String] {
            var result: [String] = []
            var index = lowerBound(size)
            while index < bySize.count, bySize[index].size == size {
                result.append(name(bySize[index]))
                index += 1
            }
            return result
        }

        mutating func add(_ below: String, size: Int64) {
            guard !names(ofSize: size).contains(below) else { return }
            let entry = Entry(size: size, offset: Int32(names.count), length: Int32(below.utf8.count))
            names.append(contentsOf: below.utf8)
            bySize.insert(entry, at: lowerBound(size))
        }
    }

    private(set) var folders: [String: Folder] = [:]
    private(set) var count = 0
    /// Files that arrived while an instance's batch was planned beside the content batches
    /// (``beginFlight()``): listed again after its scan, which may have walked their folders before
    /// they came, replaces its folders' listings (a second download missed would let its twin be
    /// linked by its bytes alone).
    private var arrivedInFlight: [(path: String, size: Int64, folder: String)]?

    mutating func beginFlight() { arrivedInFlight = [] }

    mutating func endFlight() { arrivedInFlight = nil }
    /// Files listed at most; beyond, everything is forgotten (and walked again when needed).
    static let limit = 1_000_000

    /// The files of `folder` (`Client/instance_ID/chats/Chat`) of `size`, as paths relative to the root.
    func files(in folder: String, size: Int64) -> [String] {
        (folders[folder]?.names(ofSize: size) ?? []).map { folder + "/" + $0 }
    }

    /// How many files of `folder` carry the name key.
    func namesakes(in folder: String, key: UInt64) -> Int {
        guard let listed = folders[folder] else { return 0 }
        return listed.bySize.count { entry in
            ContentMatch.nameKey(FileNameParser.parse(ContentBatch.lastComponent(of: listed.name(entry)))) == key
        }
    }

    func knows(_ folder: String) -> Bool { folders[folder] != nil }

    /// Lists a folder as a walk found it: `files` relative to the root, all in `folder`.
    mutating func record(_ folder: String, files: [(path: String, size: Int64)]) {
        record(folder, Self.listing(folder, files: files))
    }

    private mutating func record(_ folder: String, _ listed: Folder) {
        count -= folders[folder]?.bySize.count ?? 0
        count += listed.bySize.count
        folders[folder] = listed
        if count > Self.limit { forget() }
    }

    /// A folder's listing as a walk found it.
    private static func listing(_ folder: String, files: [(path: String, size: Int64)]) -> Folder {
        var listed = Folder()
        for file in files.sorted(by: { $0.size < $1.size }) where file.path.hasPrefix(folder + "/") {
            let below = file.path.utf8.dropFirst(folder.utf8.count + 1)
            listed.bySize.append(
                .init(size: file.size, offset: Int32(listed.names.count), length: Int32(below.count)))
            listed.names.append(contentsOf: below)
        }
        return listed
    }

    /// A batch's scan listed by chat folder: the part of ``record(scanned:)`` that takes time (a
    /// tenth of a second for 30,000 files), which a batch planned beside the content batches does
    /// before it is the writer they wait for.
    struct Scanned: Sendable {
        fileprivate var folders: [(folder: String, listed: Folder)]
    }

    static func listing(scanned files: [(path: String, size: Int64)]) -> Scanned {
        let byFolder = Dictionary(grouping: files, by: { ScanScope.chatFolder(of: $0.path) })
        return Scanned(
            folders: byFolder.compactMap { folder, files in folder.map { ($0, listing($0, files: files)) } })
    }

    /// Lists every chat folder of a batch's scan afresh: its audio files, as the scan walked them.
    /// The first batch of a watch lists the whole store, so later ones need walk no folder, and the
    /// watch's memory does not grow with the folders its batches touch.
    mutating func record(scanned files: [(path: String, size: Int64)]) {
        record(Self.listing(scanned: files))
    }

    /// Lists the folders of a batch's scan (``listing(scanned:)``) afresh, and again the files that
    /// arrived while it was planned.
    mutating func record(_ scanned: Scanned) {
        defer {
            for file in arrivedInFlight ?? [] { arrived(file.path, size: file.size, in: file.folder) }
            arrivedInFlight = nil
        }
        for (folder, listed) in scanned.folders {
            record(folder, listed)
            if count == 0 { return }  // over the limit: forgotten, folders walked when needed
        }
    }

    /// Adds a file that arrived in a folder already listed (not twice).
    mutating func arrived(_ path: String, size: Int64, in folder: String) {
        arrivedInFlight?.append((path, size, folder))
        guard folders[folder] != nil, path.hasPrefix(folder + "/") else { return }
        let before = folders[folder]?.bySize.count ?? 0
        folders[folder]?.add(
            String(decoding: path.utf8.dropFirst(folder.utf8.count + 1), as: UTF8.self), size: size)
        count += (folders[folder]?.bySize.count ?? 0) - before
        if count > Self.limit { forget() }
    }

    mutating func forget() {
        folders = [:]
        count = 0
    }
}
