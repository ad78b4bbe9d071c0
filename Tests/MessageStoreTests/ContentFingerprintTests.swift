import Testing

@testable import MessageStore

@Suite struct ContentFingerprintTests {
    // Reference values from the xxHash project's Python binding (xxhash.xxh64(...).hexdigest()).
    @Test(arguments: [
        ("", "ef46db3751d8e999"),
        ("a", "d24ec4f1a98c6e5b"),
        ("abc", "44bc2cf5ad770999"),
        ("Nobody inspects the spammish repetition", "fbcea83c8a378bf1"),
    ])
    func matchesXXH64(text: String, hex: String) {
        #expect(ContentFingerprint(text).description == hex)
    }

    @Test func coversTheLongInputPath() {
        // 771 bytes: the 32-byte stripes, the 8-byte and 4-byte tails and single bytes all run.
        let bytes = Array((0..<3).flatMap { _ in (0..<256).map(UInt8.init) }) + Array("xyz".utf8)
        let fingerprint = bytes.withUnsafeBytes { ContentFingerprint(bytes: $0) }
        #expect(fingerprint.description == "e921a1b45bd779f8")
    }

    @Test func tellsOneByteApart() {
        #expect(ContentFingerprint(#"{"a": 1}"#) != ContentFingerprint(#"{"a":1}"#))
    }
}
