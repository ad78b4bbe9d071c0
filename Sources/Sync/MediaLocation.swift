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

    /// A scanner of the root without the cache: for a watch's content batches, whose files are new
    /// (nothing to read from the cache) and which must not wait on an instance's batch reading and
    /// writing the cache beside them (a quarter of a second a batch on a 300,000-file store).
    func scannerWithoutCache(logger: Logger) -> MediaStoreScanner {
        MediaStoreScanner(root: root, options: ScanOptions(cache: .disabled), logger: logger)
    }
}
