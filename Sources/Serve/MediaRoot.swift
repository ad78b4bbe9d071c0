import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The media store's root folder, and the only way the server turns a stored path into a file.
///
/// A `localPath` comes from the CRM's database, which other programs write: it is resolved as the
/// scan follows the store (`MediaStore`'s walker and hasher): a relative path of plain components,
/// every symbolic link resolved, and the result strictly inside the root's real path. A link to a
/// file inside the root is served, as the scan links it; one that leads out is refused.
public struct MediaRoot: Sendable {
    /// The root as given.
    public let path: String
    /// Its real path (symbolic links resolved), with no trailing `/`.
    public let realPath: String

    /// - Throws: ``ServeError/mediaRoot(_:)`` when the folder does not exist or is not a folder.
    public init(path: String) throws(ServeError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else { throw .mediaRoot("\(path) does not exist") }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .mediaRoot("\(path) is not a folder") }
        guard let resolved = realpath(path, nil) else { throw .mediaRoot("\(path) cannot be read") }
        defer { free(resolved) }
        realPath = String(cString: resolved)
    }

    /// Why a stored path is not served.
    public enum Refusal: String, Sendable, Hashable, Error {
        /// Empty, absolute, or with `.`, `..`, empty or NUL-holding components.
        case unsafePath = "unsafe_path"
        /// Nothing is there (or a link that leads nowhere).
        case missing
        /// It leads out of the root through a symbolic link.
        case outsideRoot = "outside_root"
        /// A folder, a device, a socket: not a regular file.
        case notAFile = "not_a_file"
    }

    /// A regular file inside the root.
    public struct Resolved: Sendable, Hashable {
        /// Relative to ``MediaRoot/realPath``, with every link resolved.
        public var relativePath: String
        /// ``MediaRoot/realPath`` + `/` + ``relativePath``.
        public var absolutePath: String
        public var size: Int64
        /// Seconds since 1970 with the file system's fraction.
        public var modificationTime: Double
    }

    /// Whether every `/`-separated component is non-empty, not `.` or `..`, and holds no NUL.
    static func isPlainRelative(_ path: String.UTF8View) -> Bool {
        var length = 0
        var dots = 0
        for byte in path {
            switch byte {
            case 0: return false
            case UInt8(ascii: "/"):
                if length == 0 || length == dots && dots <= 2 { return false }
                length = 0
                dots = 0
            default:
                length += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return !(length == 0 || length == dots && dots <= 2)
    }

    /// Resolves `stored` (a `localPath` as the database holds it, or a scanned path) to a regular file
    /// inside the root.
    public func resolve(_ stored: String) -> Result<Resolved, Refusal> {
        // Earlier tools wrote `./a/b`, `/a/b` or `a\b` for `a/b` (see normalisedLocalPath); anything
        // else that is not a plain relative path is refused before the file system is asked.
        // (Byte-wise, without Foundation's string replacing: this runs on every request `serve` answers.)
        var path = stored.utf8.contains(UInt8(ascii: "\\")) ? String(stored.map { $0 == "\\" ? "/" : $0 }) : stored
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.hasPrefix("/") { path.removeFirst() }
        guard !path.isEmpty, Self.isPlainRelative(path.utf8) else { return .failure(.unsafePath) }
        let joined = realPath + "/" + path
        var linkInfo = stat()
        guard lstat(joined, &linkInfo) == 0 else { return .failure(.missing) }
        guard let resolved = realpath(joined, nil) else { return .failure(.missing) }
        let real = String(cString: resolved)
        free(resolved)
        guard real.hasPrefix(realPath + "/") else { return .failure(.outsideRoot) }
        var info = stat()
        guard stat(real, &info) == 0 else { return .failure(.missing) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notAFile) }
        #if canImport(Darwin)
            let modified = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #else
            let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #endif
        return .success(
            Resolved(
                relativePath: String(real.dropFirst(realPath.count + 1)), absolutePath: real,
                size: Int64(info.st_size), modificationTime: modified))
    }
}
