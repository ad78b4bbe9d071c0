import MessageStore
import Testing

/// The journal's run records as earlier versions wrote them, by hand, still read as the values this
/// version writes: the same keys, the same meaning.
@Suite struct RunRecordJSONTests {
    @Test func earlierRunOptionsStillRead() throws {
        // Spaced, in their own key order, with null for an option not given.
        let text = #"""
            {"media_root": "\/srv\/media", "profile": "built-in default", "client": null, "instance": "3B6XIW", \#
            "repair": true, "url_template": "\/api\/audio\/hash-mapping\/{id}\/"}
            """#
        #expect(
            try JournalText.decode(RunOptions.self, text)
                == RunOptions(mediaRoot: "/srv/media", profile: "built-in default", instance: "3B6XIW", repair: true))
    }

    @Test func earlierSummariesStillRead() throws {
        let finished = #"""
            {"files": 60, "links": 41, "reviews": 3, "written": 40, "unchanged": 0, "changed_since_read": 1}
            """#
        #expect(
            try JournalText.decode(RunSummary.self, finished)
                == RunSummary(files: 60, links: 41, reviews: 3, written: 40, unchanged: 0, changedSinceRead: 1))
        #expect(
            try JournalText.decode(RunSummary.self, #"{"error": "database is locked"}"#)
                == RunSummary(error: "database is locked"))
    }
}
