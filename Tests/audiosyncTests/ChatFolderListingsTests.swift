import MatchEngine
import Testing

@testable import Sync

/// What a watch keeps of the chat folders its content batches walked: files by size and token,
/// kept up to date with arrivals, in folders whose names need not be ASCII.
@Suite struct ChatFolderListingsTests {
    static let folder = "Ótica_Visão/instance_XM2GD3-0HTQ5N-R05D2T/chats/5598992496673"

    static func path(_ name: String) -> String { folder + "/audio/" + name }

    @Test("A walked folder's files are found by size; an arrival is added once; a token's namesakes are counted")
    func listsAndUpdates() {
        var listings = ChatFolderListings()
        #expect(!listings.knows(Self.folder))
        listings.record(
            Self.folder,
            files: [
                (Self.path("msg_AAAA0001_20250101_000000.ogg"), 900),
                (Self.path("msg_BBBB0002_20250101_000100.ogg"), 500),
                (Self.path("msg_CCCC0003_20250101_000200.ogg"), 900),
            ])
        #expect(listings.knows(Self.folder) && listings.count == 3)
        #expect(
            Set(listings.files(in: Self.folder, size: 900))
                == [Self.path("msg_AAAA0001_20250101_000000.ogg"), Self.path("msg_CCCC0003_20250101_000200.ogg")])
        #expect(listings.files(in: Self.folder, size: 700).isEmpty)
        // An arrival: listed once, however often it is seen; a folder never walked is not listed.
        let arrival = Self.path("msg_AAAA0001_20250101_000900.ogg")
        listings.arrived(arrival, size: 700, in: Self.folder)
        listings.arrived(arrival, size: 700, in: Self.folder)
        listings.arrived(
            "Other/instance_X/chats/1/audio/msg_DDDD0004_20250101_000000.ogg", size: 700, in: "Other/instance_X/chats/1"
        )
        #expect(listings.files(in: Self.folder, size: 700) == [arrival])
        #expect(listings.count == 4 && !listings.knows("Other/instance_X/chats/1"))
        // Two files carry AAAA0001; one carries BBBB0002.
        let key = { (token: String) in ContentMatch.nameKey(FileName(token: token, tokenKind: .hash8))! }
        #expect(listings.namesakes(in: Self.folder, key: key("AAAA0001")) == 2)
        #expect(listings.namesakes(in: Self.folder, key: key("BBBB0002")) == 1)
        listings.forget()
        #expect(!listings.knows(Self.folder) && listings.count == 0)
    }

    @Test("A batch's scan lists each of its chat folders afresh: a file gone since is no longer listed")
    func aScanListsItsFolders() {
        var listings = ChatFolderListings()
        let other = "Ana/instance_Q2/chats/5511"
        listings.record(
            scanned: [
                (Self.path("msg_AAAA0001_20250101_000000.ogg"), 900),
                (other + "/msg_EEEE0005_20250101_000000.ogg", 900),
            ])
        #expect(listings.knows(Self.folder) && listings.knows(other) && listings.count == 2)
        // The next batch scans the first folder only, where the file has gone and another come.
        listings.record(scanned: [(Self.path("msg_FFFF0006_20250101_000000.ogg"), 900)])
        #expect(listings.files(in: Self.folder, size: 900) == [Self.path("msg_FFFF0006_20250101_000000.ogg")])
        #expect(listings.files(in: other, size: 900) == [other + "/msg_EEEE0005_20250101_000000.ogg"])
        #expect(listings.count == 2)
    }

    @Test("A file that arrived while an instance's batch was planned stays listed after that batch's scan")
    func arrivalsDuringAnInstancesBatch() {
        var listings = ChatFolderListings()
        let old = Self.path("msg_AAAA0001_20250101_000000.ogg")
        listings.record(Self.folder, files: [(old, 900)])
        listings.beginFlight()
        // It arrives after the batch's scan walked the folder; a content batch lists it.
        let arrival = Self.path("msg_BBBB0002_20250101_000100.ogg")
        listings.arrived(arrival, size: 700, in: Self.folder)
        listings.record(scanned: [(old, 900)])
        #expect(listings.files(in: Self.folder, size: 700) == [arrival])
        #expect(listings.count == 2)
        // Once: the next scan without a flight replaces the listing as it finds it.
        listings.record(scanned: [(old, 900)])
        #expect(listings.files(in: Self.folder, size: 700).isEmpty)
    }
}
