import Foundation
import MatchEngine
import MediaStore
import Testing

@Suite struct ProbeCacheTests {
    @Test func aSecondScanOfAnUnchangedStoreReadsNoAudioBytes() throws {
        let store = try StoreFixture()
        let cachePath = store.outside + "/cache/probe.sqlite"
        let options = ScanOptions(cache: .file(cachePath))
        let first = try MediaStoreScanner(root: store.root, options: options).scan()
        #expect(first.probedFiles == first.files.count)
        #expect(first.cachedFiles == 0)

        // Overwrite every candidate with zeros of the same size and put its mtime back: a probe
        // would now see "not audio", so equal results prove the bytes were not read.
        for file in first.files where !file.path.contains("\u{FFFD}") {
            let path = store.root + "/" + file.path
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            var times = [timespec](repeating: timespec(), count: 2)
            var info = stat()
            stat(real, &info)
            times[0] = info.st_atim
            times[1] = info.st_mtim
            #expect(FileManager.default.createFile(atPath: real, contents: Data(count: Int(file.size))))
            #expect(utimensat(AT_FDCWD, real, times, 0) == 0)
            _ = attributes
        }
        let second = try MediaStoreScanner(root: store.root, options: options).scan()
        #expect(second.probedFiles == 0)
        #expect(second.cachedFiles == first.files.count)
        #expect(second.files == first.files)

        // A changed file (new mtime) is probed again, and only it.
        let changed = store.root + "/" + first.files[0].path
        #expect(FileManager.default.createFile(atPath: changed, contents: StoreFixture.fixture("opus-16k.opus")))
        let third = try MediaStoreScanner(root: store.root, options: options).scan()
        #expect(third.probedFiles == 1)
    }

    @Test func aWholeStoreScanForgetsFilesThatAreGone() throws {
        let store = try StoreFixture()
        let cachePath = store.outside + "/probe.sqlite"
        let options = ScanOptions(cache: .file(cachePath))
        let first = try MediaStoreScanner(root: store.root, options: options).scan()
        let cache = try ProbeCache(path: cachePath)
        let stored = try cache.count()
        #expect(stored == first.files.count)
        try FileManager.default.removeItem(atPath: store.root + "/" + first.files[0].path)
        // A scoped scan leaves other clients' rows alone; a whole-store scan drops the gone file.
        _ = try MediaStoreScanner(root: store.root, options: options).scan(scope: ScanScope(clientFolder: "Bia"))
        #expect(try cache.count() == stored)
        _ = try MediaStoreScanner(root: store.root, options: options).scan()
        #expect(try cache.count() == stored - 1)
    }

    @Test("A scoped scan takes its files from the cache, reading only its folders' entries")
    func aScopedScanReadsItsFolders() throws {
        let store = try StoreFixture()
        let options = ScanOptions(cache: .file(store.outside + "/probe.sqlite"))
        let whole = try MediaStoreScanner(root: store.root, options: options).scan()
        for scope in [ScanScope(clientFolder: "Bia"), ScanScope(instanceID: "Q2")] {
            let scoped = try MediaStoreScanner(root: store.root, options: options).scan(scope: scope)
            #expect(!scoped.files.isEmpty)
            #expect(scoped.probedFiles == 0)
            #expect(scoped.cachedFiles == scoped.files.count)
            #expect(scoped.files.allSatisfy { whole.files.contains($0) })
        }
    }

    @Test func aBrokenCacheFileIsAWarning() throws {
        let store = try StoreFixture()
        let broken = store.outside + "/broken.sqlite"
        #expect(FileManager.default.createFile(atPath: broken, contents: Data(repeating: 7, count: 4096)))
        // Named or not, a cache is only a speed-up: the scan goes on without it, and leaves the file alone.
        let named = try MediaStoreScanner(root: store.root, options: ScanOptions(cache: .file(broken))).scan()
        #expect(named.cachedFiles == 0 && !named.files.isEmpty)
        #expect(FileManager.default.contents(atPath: broken) == Data(repeating: 7, count: 4096))
        // The standard location is only a speed-up: the scan goes on without it.
        let home = store.outside + "/home"
        let standard = ProbeCache.standardPath(forMediaRoot: store.root, environment: ["XDG_CACHE_HOME": home])
        try FileManager.default.createDirectory(
            atPath: (standard as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: standard, contents: Data(repeating: 7, count: 4096)))
        var options = ScanOptions(cache: .standard)
        options.environment = ["XDG_CACHE_HOME": home]
        let result = try MediaStoreScanner(root: store.root, options: options).scan()
        #expect(result.probedFiles == result.files.count)
        // It tried that very file (no other cache appeared) and left it as it was.
        let folder = (standard as NSString).deletingLastPathComponent
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder) == [(standard as NSString).lastPathComponent])
        #expect(FileManager.default.contents(atPath: standard) == Data(repeating: 7, count: 4096))
    }

    @Test func disabledCacheProbesEveryTime() throws {
        let store = try StoreFixture()
        let options = ScanOptions(cache: .disabled)
        _ = try MediaStoreScanner(root: store.root, options: options).scan()
        let again = try MediaStoreScanner(root: store.root, options: options).scan()
        #expect(again.probedFiles == again.files.count)
    }

    @Test func standardPathHashesTheRealRootUnderTheCacheHome() throws {
        let store = try StoreFixture()
        let path = ProbeCache.standardPath(forMediaRoot: store.root, environment: ["XDG_CACHE_HOME": "/x/cache"])
        #expect(path.hasPrefix("/x/cache/audiosync/probe-"))
        #expect(path.hasSuffix(".sqlite"))
        #expect(path.count == "/x/cache/audiosync/probe-".count + 16 + ".sqlite".count)
        // The same root through a link gives the same file.
        let link = store.outside + "/root-link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: store.root)
        #expect(ProbeCache.standardPath(forMediaRoot: link, environment: ["XDG_CACHE_HOME": "/x/cache"]) == path)
        let home = ProbeCache.standardPath(forMediaRoot: store.root, environment: ["HOME": "/home/u"])
        #expect(home.hasPrefix("/home/u/.cache/audiosync/probe-"))
    }

    @Test func entriesRoundTrip() throws {
        let store = try StoreFixture()
        let cache = try ProbeCache(path: store.outside + "/c.sqlite")
        let entry = ProbeCache.Entry(
            path: "a/b.ogg", size: 10, mtimeNanoseconds: 1_234_567_890_123, format: .oggOpus, duration: 1.5,
            durationIsEstimate: true, problem: .truncated)
        try cache.update(storing: [entry])
        #expect(try cache.entries()["a/b.ogg"] == entry)
        try cache.update(storing: [], removing: ["a/b.ogg"])
        #expect(try cache.count() == 0)
    }

    @Test("A scoped read takes its folders' entries, deeper ones too, and no folder whose name merely starts alike")
    func entriesInFolders() throws {
        let store = try StoreFixture()
        let cache = try ProbeCache(path: store.outside + "/c.sqlite")
        let paths = [
            "Ana/instance_A/chats/1/msg.ogg", "Ana/instance_A/x.ogg", "Ana/instance_A0/chats/1/msg.ogg",
            "Ana/instance_AB/msg.ogg", "Ana/instance_A.old/msg.ogg", "Ana/instance_B/msg.ogg", "Ana/top.ogg",
            "Bia/instance_A/msg.ogg", "Ana/instance_Á/msg.ogg",
        ]
        try cache.update(
            storing: paths.map {
                ProbeCache.Entry(
                    path: $0, size: 1, mtimeNanoseconds: 1, format: .oggOpus, duration: 1, durationIsEstimate: false,
                    problem: nil)
            })
        #expect(try cache.entries().count == paths.count)
        #expect(
            Set(try cache.entries(inFolders: ["Ana/instance_A"]).keys)
                == ["Ana/instance_A/chats/1/msg.ogg", "Ana/instance_A/x.ogg"])
        #expect(
            Set(try cache.entries(inFolders: ["Ana/instance_B", "Ana/instance_Á"]).keys)
                == ["Ana/instance_B/msg.ogg", "Ana/instance_Á/msg.ogg"])
        #expect(try cache.entries(inFolders: []).isEmpty)
    }
}
