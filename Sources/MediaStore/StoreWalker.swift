import MatchEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Walks the media root with directory descriptors (`openat` with `O_NOFOLLOW`), so that no
/// folder is entered through a symbolic link and nothing outside the root is read. A link to a
/// file is followed only when its target's real path lies inside the root.
///
/// Per file it does one `fstatat` on the name `readdir` returned and one string for the relative
/// path; everything a folder's files share (its absolute path, the layout its place implies) is
/// computed once per folder.
struct StoreWalker: Sendable {
    /// A folder that holds candidates: its absolute path and what its place in the layout says.
    struct Folder: Sendable {
        /// The absolute path, as bytes (names need not be UTF-8), without a trailing slash.
        var absolute: [UInt8]
        /// The relative path with a trailing slash.
        var relativePrefix: String
        var clientFolder: String
        var instanceID: String
        var chatFolder: String
        var kind: String?
    }

    struct Candidate: Sendable {
        var folder: Int32
        var relativePath: String
        var fileName: String
        /// The name's bytes when they are not valid UTF-8 (``fileName`` then holds U+FFFD).
        var rawName: [UInt8]?
        /// The real path of a followed link's target.
        var linkTarget: String?
        var fileExtension: String
        var size: Int64
        var mtimeNanoseconds: Int64
    }

    /// Files deeper than `<client>/instance_<id>/chats/<chat>/<kind>/<file>` are not walked.
    static let maximumDepth = 6

    let realRoot: String
    let scope: ScanScope
    let audioExtensions: Set<String>
    let progress: (@Sendable (ScanProgress) -> Void)?
    private(set) var folders: [Folder] = []
    private(set) var candidates: [Candidate] = []
    private(set) var skipped: [SkipReason: Int] = [:]
    /// Chat folders found on the way, walked after the folders above them, on every core.
    private var chatFolders: [ChatFolder] = []
    /// Descriptors of the folders holding ``chatFolders`` (copies, closed once those are walked).
    private var chatParents: [Int32] = []

    /// A chat folder to walk: its name in its parent (open as `parent`), and where it is.
    private struct ChatFolder: Sendable {
        var parent: Int32
        var name: [UInt8]
        var absolute: [UInt8]
        var components: [String]
        var nameNotUTF8: Bool
    }

    init(
        realRoot: String,
        scope: ScanScope,
        audioExtensions: Set<String>,
        progress: (@Sendable (ScanProgress) -> Void)?
    ) {
        self.realRoot = realRoot
        self.scope = scope
        self.audioExtensions = audioExtensions
        self.progress = progress
    }

    /// Keeps only the candidates at these paths (relative to the root); the others are outside the
    /// work asked for, as files outside a scope are, and not counted.
    mutating func keepOnly(_ relativePaths: Set<String>) {
        candidates.removeAll { !relativePaths.contains($0.relativePath) }
    }

    /// Leaves the candidates at these paths (relative to the root) out, counted as
    /// ``SkipReason/stillArriving``.
    mutating func leaveOut(_ relativePaths: Set<String>) {
        guard !relativePaths.isEmpty else { return }
        let before = candidates.count
        candidates.removeAll { relativePaths.contains($0.relativePath) }
        if candidates.count < before { skipped[.stillArriving, default: 0] += before - candidates.count }
    }

    /// The NUL-terminated name of a candidate in its folder (not for a followed link: open its target).
    static func nameInFolder(_ candidate: Candidate) -> [CChar] {
        if let raw = candidate.rawName { return raw.map { CChar(bitPattern: $0) } + [0] }
        return Array(candidate.fileName.utf8CString)
    }

    /// The NUL-terminated absolute path to open for a candidate.
    static func openPath(_ candidate: Candidate, folders: [Folder]) -> [CChar] {
        if let target = candidate.linkTarget { return Array(target.utf8CString) }
        var path = folders[Int(candidate.folder)].absolute
        path.append(47)
        if let raw = candidate.rawName { path += raw } else { path += candidate.fileName.utf8 }
        path.append(0)
        return path.map { CChar(bitPattern: $0) }
    }

    mutating func walk() {
        let fd = open(realRoot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            skipped[.unreadableFolder, default: 0] += 1
            return
        }
        walk(directory: fd, absolute: Array(realRoot.utf8), components: [], nameNotUTF8: false)
        walkChatFolders()
    }

    /// Walks the chat folders the walk above them set aside, each on its own walker on every core,
    /// and takes their folders, candidates and skips in the order a walk on one thread would have
    /// met them: no candidate is ever above a chat folder, so the order is that of the chat
    /// folders. (Half a walk's time on two cores: a store is mostly chat folders.)
    private mutating func walkChatFolders() {
        defer {
            for parent in chatParents { close(parent) }
            chatParents = []
            chatFolders = []
        }
        let pending = chatFolders
        guard !pending.isEmpty else { return }
        let (realRoot, scope, audioExtensions) = (realRoot, scope, audioExtensions)
        let walked: [StoreWalker] = parallelMap(count: pending.count, minimumChunk: 16) { range in
            range.map { position in
                let folder = pending[position]
                var walker = StoreWalker(
                    realRoot: realRoot, scope: scope, audioExtensions: audioExtensions, progress: nil)
                let child = openat(folder.parent, cString(folder.name), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                if child >= 0 {
                    walker.walk(
                        directory: child, absolute: folder.absolute, components: folder.components,
                        nameNotUTF8: folder.nameNotUTF8)
                } else {
                    walker.skipped[.unreadableFolder, default: 0] += 1
                }
                return walker
            }
        }
        for walker in walked {
            let offset = Int32(folders.count)
            folders += walker.folders
            candidates += walker.candidates.map { candidate in
                var candidate = candidate
                candidate.folder += offset
                return candidate
            }
            skipped.merge(walker.skipped, uniquingKeysWith: +)
        }
        progress?(ScanProgress(phase: .walking, candidates: candidates.count, probed: 0))
    }

    /// Walks one folder; takes ownership of `fd` (closed by `closedir`). `nameNotUTF8`: a folder on
    /// the way has a name that is not UTF-8, so no file below can be named in a `localPath`.
    private mutating func walk(directory fd: Int32, absolute: [UInt8], components: [String], nameNotUTF8: Bool) {
        guard let dir = fdopendir(fd) else {
            close(fd)
            skipped[.unreadableFolder, default: 0] += 1
            return
        }
        defer { closedir(dir) }
        let depth = components.count
        // The layout a file here would have: set once per folder, `nil` for folders whose files
        // are not in `<client>/instance_<id>/chats/<chat>/[<kind>/]`.
        var folderIndex: Int32?
        if depth == 4 || depth == 5, components[1].hasPrefix("instance_"), components[1].utf8.count > 9,
            components[2] == "chats"
        {
            folders.append(
                Folder(
                    absolute: absolute,
                    relativePrefix: components.joined(separator: "/") + "/",
                    clientFolder: components[0],
                    instanceID: String(components[1].dropFirst(9)),
                    chatFolder: components[3],
                    kind: depth == 5 ? components[4] : nil
                ))
            folderIndex = Int32(folders.count - 1)
        }
        let descriptor = dirfd(dir)
        // A scope of a few files, in a chat folder or below: their names are looked up, not read
        // from a folder of thousands.
        if let byFolder = scope.filesByFolder, depth >= 4 {
            walkNamed(
                byFolder, directory: descriptor, folder: folderIndex, absolute: absolute, components: components,
                nameNotUTF8: nameNotUTF8)
            return
        }
        // This folder's descriptor, copied when a chat folder in it is set aside.
        var parentCopy: Int32?
        // A scope of a few files, above the chat folders: no file here is one of them.
        let wanted = scope.filesByFolder.map { $0[components.joined(separator: "/")] ?? [] }
        while let entry = readdir(dir) {
            var type = entry.pointee.d_type
            var info = stat()
            var haveInfo = false
            let (name, raw, isDot): (String, [UInt8]?, Bool) = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { cName in
                    if cName[0] == 46 && (cName[1] == 0 || (cName[1] == 46 && cName[2] == 0)) { return ("", nil, true) }
                    if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_REG) {
                        haveInfo = fstatat(descriptor, cName, &info, AT_SYMLINK_NOFOLLOW) == 0
                        if type == UInt8(DT_UNKNOWN) && haveInfo { type = Self.direntType(info.st_mode) }
                    }
                    // Names need not be UTF-8: keep the bytes to open folders; files so named are skipped.
                    if let valid = String(validatingCString: cName) { return (valid, nil, false) }
                    let bytes = Array(UnsafeRawBufferPointer(start: cName, count: strlen(cName)))
                    return (String(decoding: bytes, as: UTF8.self), bytes, false)
                }
            }
            // `.`, `..`, and files a scope of files does not name.
            if isDot { continue }
            if let wanted, type != UInt8(DT_DIR), !wanted.contains(name) { continue }
            switch type {
            case UInt8(DT_DIR):
                guard admits(folder: name, depth: depth),
                    scope.admits(folderPath: (components + [name]).joined(separator: "/"), depth: depth + 1)
                else { continue }
                if depth + 1 >= Self.maximumDepth {
                    skipped[.unrecognizedLayout, default: 0] += 1
                    continue
                }
                let nameBytes = raw ?? Array(name.utf8)
                // A chat folder (`<client>/<instance>/chats/<chat>`) is set aside, to be walked on
                // every core once the folders above are done (``walkChatFolders()``).
                if depth == 3 {
                    if parentCopy == nil {
                        parentCopy = dup(descriptor)
                        if let copy = parentCopy, copy >= 0 { chatParents.append(copy) }
                    }
                    if let copy = parentCopy, copy >= 0 {
                        chatFolders.append(
                            ChatFolder(
                                parent: copy, name: nameBytes, absolute: absolute + [47] + nameBytes,
                                components: components + [name], nameNotUTF8: nameNotUTF8 || raw != nil))
                        continue
                    }
                }
                let child = openat(descriptor, cString(nameBytes), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    skipped[.unreadableFolder, default: 0] += 1
                    continue
                }
                walk(
                    directory: child, absolute: absolute + [47] + nameBytes, components: components + [name],
                    nameNotUTF8: nameNotUTF8 || raw != nil)
            case UInt8(DT_REG):
                guard haveInfo else {
                    skipped[.notRegularFile, default: 0] += 1
                    continue
                }
                consider(
                    name: name, raw: raw, folder: folderIndex, components: components, info: info, linkTarget: nil,
                    nameNotUTF8: nameNotUTF8)
            case UInt8(DT_LNK):
                followLink(
                    name: name, raw: raw, folder: folderIndex, components: components, absolute: absolute,
                    nameNotUTF8: nameNotUTF8)
            default:
                skipped[
                    Self.candidateExtension(name, extensions: audioExtensions) != nil
                        ? .notRegularFile : .notAudioExtension, default: 0] += 1
            }
        }
    }

    /// Looks up the files a scope of files names in this folder (open as `descriptor`), and goes
    /// down into the folders below that hold others.
    private mutating func walkNamed(
        _ byFolder: [String: Set<String>], directory descriptor: Int32, folder: Int32?, absolute: [UInt8],
        components: [String], nameNotUTF8: Bool
    ) {
        let here = components.joined(separator: "/")
        for name in (byFolder[here] ?? []).sorted() {
            var info = stat()
            guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                consider(
                    name: name, raw: nil, folder: folder, components: components, info: info, linkTarget: nil,
                    nameNotUTF8: nameNotUTF8)
            case S_IFLNK:
                followLink(
                    name: name, raw: nil, folder: folder, components: components, absolute: absolute,
                    nameNotUTF8: nameNotUTF8)
            default:
                skipped[.notRegularFile, default: 0] += 1
            }
        }
        guard components.count + 1 < Self.maximumDepth else { return }
        let below = Set(
            byFolder.keys.compactMap { key -> String? in
                guard key.hasPrefix(here + "/") else { return nil }
                return String(decoding: key.utf8.dropFirst(here.utf8.count + 1), as: UTF8.self)
                    .split(separator: "/").first.map(String.init)
            })
        for name in below.sorted() {
            let child = openat(descriptor, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { continue }
            walk(
                directory: child, absolute: absolute + [47] + Array(name.utf8), components: components + [name],
                nameNotUTF8: nameNotUTF8)
        }
    }

    /// Scope pruning at the client (depth 0) and instance (depth 1) levels.
    private func admits(folder name: String, depth: Int) -> Bool {
        switch depth {
        case 0: return scope.admits(clientFolder: name)
        case 1:
            guard scope.instanceID != nil else { return true }
            return name.hasPrefix("instance_") && scope.admits(instanceID: String(name.dropFirst("instance_".count)))
        default: return true
        }
    }

    /// A link is followed to a file whose real path is inside the root; a link to a folder never.
    private mutating func followLink(
        name: String, raw: [UInt8]?, folder: Int32?, components: [String], absolute: [UInt8], nameNotUTF8: Bool
    ) {
        guard let resolved = realpath(cString(absolute + [47] + (raw ?? Array(name.utf8))), nil) else {
            skipped[.symlinkOutsideRoot, default: 0] += 1  // dangling: it leads nowhere inside the root
            return
        }
        let target = String(cString: resolved)
        free(resolved)
        guard target.hasPrefix(realRoot + "/") else {
            skipped[.symlinkOutsideRoot, default: 0] += 1
            return
        }
        var info = stat()
        guard stat(target, &info) == 0 else {
            skipped[.symlinkOutsideRoot, default: 0] += 1
            return
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            skipped[.symlinkedFolder, default: 0] += 1
            return
        }
        consider(
            name: name, raw: raw, folder: folder, components: components, info: info, linkTarget: target,
            nameNotUTF8: nameNotUTF8)
    }

    private mutating func consider(
        name: String,
        raw: [UInt8]?,
        folder: Int32?,
        components: [String],
        info: stat,
        linkTarget: String?,
        nameNotUTF8: Bool
    ) {
        guard let ext = Self.candidateExtension(name, extensions: audioExtensions) else {
            skipped[Self.leftoverReason(name) ?? .notAudioExtension, default: 0] += 1
            return
        }
        guard raw == nil, !nameNotUTF8 else {
            skipped[.nameNotUTF8, default: 0] += 1
            return
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            skipped[.notRegularFile, default: 0] += 1
            return
        }
        guard let folder else {
            skipped[.unrecognizedLayout, default: 0] += 1
            return
        }
        let place = folders[Int(folder)]
        guard scope.admits(clientFolder: place.clientFolder), scope.admits(instanceID: place.instanceID) else { return }
        candidates.append(
            Candidate(
                folder: folder,
                relativePath: place.relativePrefix + name,
                fileName: name,
                rawName: raw,
                linkTarget: linkTarget,
                fileExtension: ext,
                size: Int64(info.st_size),
                mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            ))
        if candidates.count % 4096 == 0 {
            progress?(ScanProgress(phase: .walking, candidates: candidates.count, probed: 0))
        }
    }

    /// The lower-case extension when `name` is an audio candidate; `nil` for leftovers and other files.
    static func candidateExtension(_ name: String, extensions: Set<String>) -> String? {
        guard leftoverReason(name) == nil else { return nil }
        let utf8 = name.utf8
        guard let dot = utf8.lastIndex(of: 46), dot != utf8.startIndex else { return nil }
        let suffix = utf8[utf8.index(after: dot)...]
        guard suffix.count <= 4 else { return nil }
        let ext = String(decoding: suffix.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
        return extensions.contains(ext) ? ext : nil
    }

    /// `.part` and `temp_*` files are what interrupted downloads leave behind.
    static func leftoverReason(_ name: String) -> SkipReason? {
        let utf8 = name.utf8
        if utf8.count >= 5 {
            let tail = utf8.suffix(5).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            if tail.elementsEqual(".part".utf8) { return .partialDownload }
        }
        if name.hasPrefix("temp_") { return .temporaryFile }
        return nil
    }

    private static func direntType(_ mode: mode_t) -> UInt8 {
        switch mode & S_IFMT {
        case S_IFDIR: UInt8(DT_DIR)
        case S_IFREG: UInt8(DT_REG)
        case S_IFLNK: UInt8(DT_LNK)
        default: UInt8(DT_FIFO)
        }
    }
}

/// The bytes with a terminating NUL, for C calls.
private func cString(_ bytes: [UInt8]) -> [CChar] {
    bytes.map { CChar(bitPattern: $0) } + [0]
}
