/// Why a scan or a hash could not run.
public enum MediaStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The media root does not exist.
    case rootMissing(path: String)
    /// The media root is not a folder.
    case rootNotDirectory(path: String)
    /// A file or folder could not be opened or read.
    case unreadable(path: String, errno: Int32)
    /// The probe cache could not be opened or written.
    case cache(path: String, reason: String)
    /// A folder could not be watched for new files (`audiosync watch`).
    case watch(path: String, errno: Int32)

    public var description: String {
        switch self {
        case .rootMissing(let path):
            "media root not found: \(path): check --media-root (or media_root in audiosync.yml)"
        case .rootNotDirectory(let path):
            "media root is not a directory: \(path): give the folder that holds the client folders"
        case .unreadable(let path, let code):
            "cannot read \(path): \(String(cString: strerror(code))): check that this user may read it"
        case .cache(let path, let reason):
            "probe cache \(path): \(reason): remove the file (it is only a cache) or pass --no-probe-cache"
        case .watch(let path, let code) where code == ENOSPC:
            "cannot watch \(path) for new files: more folders than inotify allows: raise fs.inotify.max_user_watches (docs/watch.md)"
        case .watch(let path, let code):
            "cannot watch \(path) for new files: \(String(cString: strerror(code)))"
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
