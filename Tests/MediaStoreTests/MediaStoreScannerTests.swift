import AudioProbe
import Foundation
import MatchEngine
import MediaStore
import Testing

@Suite struct MediaStoreScannerTests {
    func scan(
        _ store: StoreFixture, scope: ScanScope = .all, cache: ScanOptions.CacheLocation = .disabled,
        concurrency: Int = 2
    ) throws -> ScanResult {
        try MediaStoreScanner(root: store.root, options: ScanOptions(cache: cache, concurrency: concurrency)).scan(
            scope: scope)
    }

    @Test func findsEveryCandidateWithFoldersNamesAndProbes() throws {
        let store = try StoreFixture()
        let result = try scan(store)
        let byName = Dictionary(uniqueKeysWithValues: result.files.map { (String($0.fileName), $0) })
        let first = try #require(byName["msg_81585468_20250811_110317.ogg"])
        #expect(
            first.path
                == "Ana_Souza/instance_3B6XIW-ZTS923-GEAY6V/chats/556999267344/audio/msg_81585468_20250811_110317.ogg")
        #expect(first.clientFolder == "Ana_Souza")
        #expect(first.instanceID == "3B6XIW-ZTS923-GEAY6V")
        #expect(first.chatFolder == "556999267344")
        #expect(first.kind == "audio")
        #expect(first.name.token == "81585468")
        #expect(first.name.time?.iso8601 == "2025-08-11T11:03:17")
        #expect(first.format == .oggOpus)
        #expect(first.duration == 83_601.0 / 48_000)
        #expect(first.problem == nil)
        #expect(first.size == Int64(StoreFixture.fixture("opus-16k.opus").count))

        #expect(byName["wapi_3EB0C767D0D1E2F3A4B5_20250811_110317.mp3"]?.name.tokenKind == .fullID)
        #expect(byName["wapi_3EB0C767D0D1E2F3A4B5_20250811_110317.mp3"]?.format == .mp3)
        #expect(byName["msg_AAAABBBB_20250811_120000.mp3"]?.format == .oggOpus)
        #expect(byName["msg_AAAABBBB_20250811_120000.mp3"]?.problem == .extensionMismatch)
        #expect(byName["msg_EEEEEEEE_20250811_120000.ogg"]?.problem == .empty)
        #expect(byName["msg_CCCCDDDD_20250811_120000.ogg"]?.problem == .notAudio)
        #expect(byName["msg_TTTTTTTT_20250811_120000.ogg"]?.problem == .truncated)
        #expect(byName["msg_TTTTTTTT_20250811_120000.ogg"]?.durationIsEstimate == true)
        let older = try #require(byName["Voice note from Ana.m4a"])
        #expect(older.kind == nil && older.name.token == nil && older.format == .mp4)
        #expect(byName["msg_22222222_20240101_000000.opus"]?.duration == 83_601.0 / 48_000)
        #expect(byName["msg_33333333_20240101_000000.wav"]?.format == .wav)
        #expect(byName["msg_44444444_20240101_000000.ogg"]?.format == .oggVorbis)
        // The link to a file inside the root is followed; the one leading out is not.
        #expect(byName["msg_66666666_20240101_000000.ogg"]?.duration == first.duration)
        #expect(byName["msg_55555555_20240101_000000.ogg"] == nil)
        // The name that is not UTF-8 is skipped and counted: no localPath could name it byte for byte.
        #expect(!result.files.contains { $0.path.contains("msg_77777777") })
        #expect(result.skipped[.nameNotUTF8] == 1)

        #expect(result.files.count == 12)
        #expect(result.skipped[.partialDownload] == 1)
        #expect(result.skipped[.temporaryFile] == 1)
        #expect(result.skipped[.notAudioExtension] == 2)
        #expect(result.skipped[.symlinkOutsideRoot] == 2)  // a file and a folder outside
        #expect(result.skipped[.symlinkedFolder] == 1)
        #expect(result.skipped[.unrecognizedLayout] == 1)
        #expect(result.extensionMismatches == 1)
        #expect(result.countsByFormat[.oggOpus] == 6)  // the seventh Ogg Opus note is msg_77777777, skipped
        #expect(result.countsByProblem[.empty] == 1)
        #expect(result.files.map(\.path) == result.files.map(\.path).sorted())
    }

    @Test func scopeRestrictsToAClientAndAnInstance() throws {
        let store = try StoreFixture()
        let bia = try scan(store, scope: ScanScope(clientFolder: "Bia"))
        #expect(Set(bia.files.map(\.clientFolder)) == ["Bia"])
        let q2 = try scan(store, scope: ScanScope(instanceID: "Q2"))
        #expect(q2.files.map(\.instanceID) == ["Q2"])
        let none = try scan(store, scope: ScanScope(clientFolder: "Bia", instanceID: "3B6XIW-ZTS923-GEAY6V"))
        #expect(none.files.isEmpty)
    }

    @Test("A scope of chat folders walks those folders only; keepingOnly scans the files named, uncounted others")
    func chatFolderScope() throws {
        let store = try StoreFixture()
        let scanner = MediaStoreScanner(root: store.root, options: ScanOptions(cache: .disabled, concurrency: 2))
        let everything = try scanner.scan()
        let chat = "Ana_Souza/instance_3B6XIW-ZTS923-GEAY6V/chats/556999267344"
        let walk = try scanner.walk(scope: ScanScope(chatFolders: [chat, "Bia/instance_Q2/chats/5511"]))
        let walked = Set(walk.sizes.map(\.path))
        let expected = Set(
            everything.files.map(\.path).filter {
                $0.hasPrefix(chat + "/") || $0.hasPrefix("Bia/instance_Q2/chats/5511/")
            })
        #expect(!expected.isEmpty && walked.isSuperset(of: expected))
        #expect(walked.allSatisfy { $0.hasPrefix(chat + "/") || $0.hasPrefix("Bia/instance_Q2/chats/5511/") })
        let one = try #require(expected.sorted().first)
        let scan = try scanner.scan(walk.keepingOnly([one]))
        #expect(scan.files.map(\.path) == [one])
        #expect(scan.skipped[.stillArriving] == nil)
        // A folder named nowhere in the store: nothing walked, no error.
        #expect(try scanner.walk(scope: ScanScope(chatFolders: ["Nobody/instance_X/chats/1"])).sizes.isEmpty)
    }

    @Test("A scope of files looks up those files only, in any chat folder or below it, and probes them as a scan does")
    func fileScope() throws {
        let store = try StoreFixture()
        let scanner = MediaStoreScanner(root: store.root, options: ScanOptions(cache: .disabled, concurrency: 2))
        let everything = try scanner.scan()
        // Two files of different chat folders, one a level below its chat folder when the fixture has one.
        let paths = everything.files.map(\.path)
        let deep = paths.first { $0.split(separator: "/").count == 6 }
        let picked = Set([paths[0], paths[paths.count / 2]] + (deep.map { [$0] } ?? []))
        let missing = "Ana_Souza/instance_3B6XIW-ZTS923-GEAY6V/chats/556999267344/msg_00000000_20250101_000000.ogg"
        let walk = try scanner.walk(scope: ScanScope(files: picked.union([missing])))
        #expect(Set(walk.sizes.map(\.path)) == picked)
        let scan = try scanner.scan(walk)
        #expect(Set(scan.files.map(\.path)) == picked)
        // The same probes as the whole scan's.
        let whole = Dictionary(uniqueKeysWithValues: everything.files.map { ($0.path, $0) })
        for file in scan.files {
            #expect(file.duration == whole[file.path]?.duration && file.format == whole[file.path]?.format)
        }
    }

    @Test func parallelAndSerialScansAgree() throws {
        let store = try StoreFixture()
        #expect(try scan(store, concurrency: 1).files == scan(store, concurrency: 4).files)
    }

    @Test func missingAndNonFolderRootsAreTypedErrors() throws {
        #expect(throws: MediaStoreError.rootMissing(path: "/nonexistent/media")) {
            try MediaStoreScanner(root: "/nonexistent/media", options: ScanOptions(cache: .disabled)).scan()
        }
        let store = try StoreFixture()
        let file = store.root + "/stray.ogg"
        #expect(throws: MediaStoreError.rootNotDirectory(path: file)) {
            try MediaStoreScanner(root: file, options: ScanOptions(cache: .disabled)).scan()
        }
    }
}
