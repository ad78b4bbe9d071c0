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
struct StoreWalker {
    struct Candidate: Sendable {
        var relativePath: String
        /// The absolute path to open, NUL-terminated, with the name's bytes as they are on disk.
        var openPath: [CChar]
        var layout: StorePath
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
    private(set) var candidates: [Candidate] = []
    private(set) var skipped: [SkipReason: Int] = [:]

    init(
        realRoot: String, scope: ScanScope, audioExtensions: Set<String>, progress: (@Sendable (ScanProgress) -> Void)?
    ) {
        self.realRoot = realRoot
        self.scope = scope
        self.audioExtensions = audioExtensions
        self.progress = progress
    }

    mutating func walk() {
        let fd = open(realRoot, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            skipped[.unreadableFolder, default: 0] += 1
            return
        }
        walk(directory: fd, absolute: Array(realRoot.utf8), components: [])
    }

    /// Walks one folder; takes ownership of `fd` (closed by `closedir`).
    private mutating func walk(directory fd: Int32, absolute: [UInt8], components: [String]) {
        guard let dir = fdopendir(fd) else {
            close(fd)
            skipped[.unreadableFolder, default: 0] += 1
            return
        }
        defer { closedir(dir) }
        var entries: [(name: [UInt8], type: UInt8)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [46] || name == [46, 46] { continue }
            entries.append((name, entry.pointee.d_type))
        }
        // A stable order makes scans and their progress reproducible.
        entries.sort { $0.name.lexicographicallyPrecedes($1.name) }
        let depth = components.count
        for (nameBytes, type) in entries {
            // Names need not be UTF-8: decode for display (U+FFFD for odd bytes), keep the bytes to open.
            let name = String(decoding: nameBytes, as: UTF8.self)
            let path = absolute + [47] + nameBytes
            var kind = type
            if kind == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard fstatat(dirfd(dir), cString(nameBytes), &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                kind = Self.direntType(info.st_mode)
            }
            switch kind {
            case UInt8(DT_DIR):
                guard admits(folder: name, depth: depth) else { continue }
                if depth + 1 >= Self.maximumDepth {
                    skipped[.unrecognizedLayout, default: 0] += 1
                    continue
                }
                let child = openat(dirfd(dir), cString(nameBytes), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else {
                    skipped[.unreadableFolder, default: 0] += 1
                    continue
                }
                walk(directory: child, absolute: path, components: components + [name])
            case UInt8(DT_REG):
                var info = stat()
                guard fstatat(dirfd(dir), cString(nameBytes), &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    skipped[.notRegularFile, default: 0] += 1
                    continue
                }
                consider(name: name, components: components, openPath: path, info: info)
            case UInt8(DT_LNK):
                followLink(name: name, components: components, path: path, depth: depth)
            default:
                if Self.isCandidateName(name, extensions: audioExtensions) != nil {
                    skipped[.notRegularFile, default: 0] += 1
                } else {
                    skipped[.notAudioExtension, default: 0] += 1
                }
            }
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
    private mutating func followLink(name: String, components: [String], path: [UInt8], depth: Int) {
        guard let resolved = realpath(cString(path), nil) else {
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
        consider(name: name, components: components, openPath: Array(target.utf8), info: info)
    }

    private mutating func consider(name: String, components: [String], openPath: [UInt8], info: stat) {
        guard let ext = Self.isCandidateName(name, extensions: audioExtensions) else {
            skipped[Self.leftoverReason(name) ?? .notAudioExtension, default: 0] += 1
            return
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            skipped[.notRegularFile, default: 0] += 1
            return
        }
        let relative = (components + [name]).joined(separator: "/")
        guard let layout = StorePath(relativePath: relative) else {
            skipped[.unrecognizedLayout, default: 0] += 1
            return
        }
        guard scope.admits(clientFolder: layout.clientFolder), scope.admits(instanceID: layout.instanceID) else {
            return
        }
        candidates.append(
            Candidate(
                relativePath: relative,
                openPath: cString(openPath),
                layout: layout,
                fileExtension: ext,
                size: Int64(info.st_size),
                mtimeNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            ))
        if candidates.count % 4096 == 0 {
            progress?(ScanProgress(phase: .walking, candidates: candidates.count, probed: 0))
        }
    }

    /// The lower-case extension when `name` is an audio candidate; `nil` for leftovers and other files.
    static func isCandidateName(_ name: String, extensions: Set<String>) -> String? {
        guard leftoverReason(name) == nil, let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...].lowercased()
        return extensions.contains(ext) ? ext : nil
    }

    /// `.part` and `temp_*` files are what interrupted downloads leave behind.
    static func leftoverReason(_ name: String) -> SkipReason? {
        if name.lowercased().hasSuffix(".part") { return .partialDownload }
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
