import MatchEngine
import MessageStore

extension SyncReport {
    /// Every figure the sync report shows, computed once from the report and named as the text
    /// names it (`left_unmatched` is "left unmatched"): the text, the JSON document's `counts`,
    /// the journal's summary and `evaluate` all read these, so they cannot disagree.
    public struct Counts: Sendable, Hashable, Codable {
        /// What happened to the files of the media store: `seen` = `not_audio` + `audio`, and
        /// `audio` = `linked` + `duplicates` + `sent_to_review` + `left_unmatched`.
        public struct Files: Sendable, Hashable, Codable {
            public var seen: Int
            /// Files passed over: not audio, or leftovers of a download.
            public var notAudio: Int
            public var audio: Int
            /// Audio files that cannot be used at all (empty, not audio, unreadable); counted in
            /// `left_unmatched` too.
            public var damaged: Int
            public var linked: Int
            /// Byte-identical re-downloads of a linked or reviewed file.
            public var duplicates: Int
            public var sentToReview: Int
            /// The rest: `plan.unmatched` without its duplicates and files in review.
            public var leftUnmatched: Int
        }

        /// What the messages held.
        public struct Messages: Sendable, Hashable, Codable {
            public var audioRows: Int
            public var unusable: Int
            /// Existing `localPath` values, checked against the evidence.
            public var alreadyLinkedConfirmed: Int
            public var contradicted: Int
            public var keptUnverified: Int
        }

        /// What was (for a dry run: would be) written.
        public struct Writes: Sendable, Hashable, Codable {
            /// Rows the plan changes: `new_links` + `repairs` + `removals`.
            public var planned: Int
            public var newLinks: Int
            /// An existing `localPath` replaced (only with `--repair`).
            public var repairs: Int
            /// An existing `localPath` removed (only with `--repair`).
            public var removals: Int
            /// Of `planned`: rows written (would be written), already as planned, and skipped.
            public var written: Int
            public var alreadyAsPlanned: Int
            public var skippedChangedSinceRead: Int
            public var skippedRowGone: Int
            /// Links not written because an existing `localPath` is in the way (see `--repair`).
            public var withheld: Int
        }

        public var files: Files
        public var messages: Messages
        public var writes: Writes
    }

    /// The counts, from the report's values.
    public var counts: Counts {
        if let rememberedCounts { return rememberedCounts }
        let unmatched = plan.unmatchedCounts
        let duplicates = unmatched[.duplicate, default: 0]
        let claims = plan.claimCounts
        let skipped = scan.skipped.values.reduce(0, +)
        return Counts(
            files: .init(
                seen: scan.filesSeen, notAudio: skipped, audio: scan.audio, damaged: scan.damaged,
                linked: plan.links.count, duplicates: duplicates, sentToReview: plan.reviews.count,
                leftUnmatched: plan.unmatched.count - duplicates - unmatched[.inReview, default: 0]),
            messages: .init(
                audioRows: load.rowsRead, unusable: load.unusableCount,
                alreadyLinkedConfirmed: claims[.confirmed, default: 0],
                contradicted: claims[.contradicted, default: 0] + claims[.missingFile, default: 0],
                keptUnverified: claims[.unverified, default: 0]),
            writes: .init(
                planned: changes.links + changes.repairs + changes.removals, newLinks: changes.links,
                repairs: changes.repairs, removals: changes.removals, written: write[.updated],
                alreadyAsPlanned: write[.unchanged], skippedChangedSinceRead: write[.changedSinceRead],
                skippedRowGone: write[.missingRow] + write[.notEditable], withheld: changes.withheld.count))
    }
}
