public import Logging
public import MediaStore

/// The media store a command scans: its root folder and where the probe cache lives.
public struct MediaLocation: Sendable {
    /// The media store's root folder.
    public var root: String
    /// Where the probe cache lives.
    public var probeCache: ScanOptions.CacheLocation

    public init(root: String, probeCache: ScanOptions.CacheLocation = .standard) {
        self.root = root
        self.probeCache = probeCache
    }

    /// A scanner of the root with this cache.
    public func scanner(logger: Logger) -> MediaStoreScanner {
        MediaStoreScanner(root: root, options: ScanOptions(cache: probeCache), logger: logger)
    }
}
