import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What happened to a file or folder under a watched tree.
public enum FolderEvent: Sendable, Hashable {
    /// A file was created or written to and may still be open for writing.
    case writing(path: String)
    /// A file was closed after writing, or moved in whole: complete unless it changes again.
    case written(path: String)
    /// A file was deleted or moved away.
    case removed(path: String)
    /// The system dropped events (its queue overflowed): anything may have changed.
    case overflow
}

/// Watches every folder under a root for files arriving, for `audiosync watch`.
///
/// On Linux, inotify: one watch per folder (inotify is not recursive), a folder created or moved in
/// is watched as it appears and the files already in it are reported, since they may have landed
/// before its watch was added. Elsewhere, a poll of the folders' modification times (a file added,
/// renamed or removed changes its folder's mtime), listing a folder again when its mtime moves.
///
/// One task uses a watch at a time (``next(timeout:)`` blocks); that is why it is
/// `@unchecked Sendable`: it is handed to a thread to wait on, never shared.
public final class FolderWatch: @unchecked Sendable {
    public let root: String
    #if os(Linux)
        private let inotify: InotifyTree
    #else
        private var poller: FolderPoller
    #endif

    /// Starts watching `root` and every folder under it.
    /// - Throws: ``MediaStoreError/watch(path:errno:)`` when the system refuses (too many
    ///   watches: raise `fs.inotify.max_user_watches`).
    public init(root: String) throws {
        self.root = root
        #if os(Linux)
            inotify = try InotifyTree(root: root)
        #else
            poller = FolderPoller(root: root)
        #endif
    }

    /// The events that arrive within `timeout` (none when nothing happened); returns as soon as
    /// there are some.
    public func next(timeout: Duration) throws -> [FolderEvent] {
        #if os(Linux)
            return try inotify.next(timeout: timeout)
        #else
            Thread.sleep(
                forTimeInterval: Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
            return poller.changes()
        #endif
    }
}

/// The names a downloader gives a file while it is still writing it: never synced under that name,
/// the file is taken when it is renamed to its own.
public func isPartialDownloadName(_ path: String) -> Bool {
    let name = path.lowercased()
    return [".part", ".tmp", ".crdownload"].contains { name.hasSuffix($0) }
}

/// The polling watch: folders' mtimes, and each changed folder's files listed again.
/// Kept outside `#if` so it compiles, and is tested, on every platform.
package struct FolderPoller {
    package let root: String
    private var folders: [String: Date] = [:]
    private var files: [String: Set<String>] = [:]

    package init(root: String) {
        self.root = root
        for folder in Self.folders(under: root) {
            folders[folder] = Self.mtime(folder)
            files[folder] = Self.files(in: folder)
        }
    }

    /// Files added to or removed from a folder since the last call (or since `init`).
    package mutating func changes() -> [FolderEvent] {
        var events: [FolderEvent] = []
        var seen: Set<String> = []
        for folder in Self.folders(under: root) {
            seen.insert(folder)
            let mtime = Self.mtime(folder)
            guard folders[folder] != mtime else { continue }
            folders[folder] = mtime
            let now = Self.files(in: folder)
            let before = files[folder] ?? []
            events += now.subtracting(before).sorted().map { .written(path: $0) }
            events += before.subtracting(now).sorted().map { .removed(path: $0) }
            files[folder] = now
        }
        for gone in Set(folders.keys).subtracting(seen) {
            folders[gone] = nil
            files[gone] = nil
        }
        return events
    }

    static func folders(under root: String) -> [String] {
        var result = [root]
        guard let walker = FileManager.default.enumerator(atPath: root) else { return result }
        while let relative = walker.nextObject() as? String {
            if walker.fileAttributes?[.type] as? FileAttributeType == .typeDirectory {
                result.append(root + "/" + relative)
            }
        }
        return result
    }

    static func files(in folder: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return Set(
            names.map { folder + "/" + $0 }.filter { path in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            })
    }

    static func mtime(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

#if os(Linux)
    /// inotify over a folder tree: the descriptor, and which folder each watch descriptor is.
    final class InotifyTree {
        private let root: String
        private let descriptor: Int32
        private var folders: [Int32: String] = [:]
        private var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        static let mask: UInt32 = UInt32(
            IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM)

        init(root: String) throws {
            self.root = root
            descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard descriptor >= 0 else { throw MediaStoreError.watch(path: root, errno: errno) }
            do {
                _ = try add(folder: root)
            } catch {
                close(descriptor)
                throw error
            }
        }

        deinit { close(descriptor) }

        /// Watches `folder` and every folder under it; returns the files found in them, which may
        /// have arrived before the watches did.
        private func add(folder: String) throws -> [String] {
            let watch = inotify_add_watch(descriptor, folder, Self.mask)
            guard watch >= 0 else {
                // A folder removed between its event and here is no error.
                if errno == ENOENT || errno == ENOTDIR { return [] }
                throw MediaStoreError.watch(path: folder, errno: errno)
            }
            folders[watch] = folder
            var files: [String] = []
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                let path = folder + "/" + name
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
                if isFolder.boolValue { files += try add(folder: path) } else { files.append(path) }
            }
            return files
        }

        func next(timeout: Duration) throws -> [FolderEvent] {
            var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds =
                timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
            let ready = poll(&waiting, 1, Int32(clamping: milliseconds))
            if ready < 0 && errno != EINTR { throw MediaStoreError.watch(path: root, errno: errno) }
            guard ready > 0 else { return [] }
            var events: [FolderEvent] = []
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EAGAIN || errno == EINTR { break }
                    throw MediaStoreError.watch(path: root, errno: errno)
                }
                guard count > 0 else { break }
                events += try parse(count)
            }
            return events
        }

        /// The events in the first `count` bytes of the buffer. inotify(7): each is a
        /// `struct inotify_event` followed by `len` bytes of name, NUL-padded; a read returns whole
        /// events only.
        private func parse(_ count: Int) throws -> [FolderEvent] {
            var events: [FolderEvent] = []
            var offset = 0
            let header = MemoryLayout<inotify_event>.size
            while offset + header <= count {
                let event = buffer.withUnsafeBytes {
                    $0.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                }
                let nameBytes = buffer[(offset + header)..<(offset + header + Int(event.len))]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += header + Int(event.len)
                let mask = event.mask
                if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                    events.append(.overflow)
                    continue
                }
                if mask & UInt32(IN_IGNORED) != 0 {
                    folders[event.wd] = nil
                    continue
                }
                guard let folder = folders[event.wd], !name.isEmpty else { continue }
                let path = folder + "/" + name
                let isFolder = mask & UInt32(IN_ISDIR) != 0
                if isFolder {
                    if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                        events += try add(folder: path).map { .written(path: $0) }
                    } else if mask & UInt32(IN_MOVED_FROM) != 0 {
                        // A folder moved away keeps its watches, which would report its old path:
                        // dropped here; moved back in (IN_MOVED_TO), it is watched again under its name.
                        for (watch, folder) in folders where folder == path || folder.hasPrefix(path + "/") {
                            inotify_rm_watch(descriptor, watch)
                            folders[watch] = nil
                        }
                    }
                    // A folder deleted drops its own watch (IN_IGNORED follows).
                    continue
                }
                if mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0 {
                    events.append(.written(path: path))
                } else if mask & UInt32(IN_CREATE | IN_MODIFY) != 0 {
                    events.append(.writing(path: path))
                } else if mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0 {
                    events.append(.removed(path: path))
                }
            }
            return events
        }
    }
#endif
