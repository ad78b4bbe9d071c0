internal import CAudioProbe

/// What the fast path saw at the end of the file, even when it declined the stream.
package struct OggTailFacts: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    package static let endOfStream = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_EOS))
    package static let partialPage = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_PARTIAL_PAGE))
    package static let trailingBytes = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_TRAILING_BYTES))
    package static let untimedTail = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_UNTIMED_TAIL))
    package static let chained = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_CHAINED))
    package static let skippedBytes = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_SKIPPED_BYTES))
    package static let headTooShort = OggTailFacts(rawValue: UInt32(AUDIOSYNC_OGG_HEAD_TOO_SHORT))
}
