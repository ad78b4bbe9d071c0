import Foundation
import Testing

@testable import MessageStore

@Suite struct JSONCursorTests {
    static func isValid(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in
            var cursor = JSONCursor(buffer)
            return (try? cursor.readDocument()) != nil
        }
    }

    static func isValid(bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            var cursor = JSONCursor(buffer)
            return (try? cursor.readDocument()) != nil
        }
    }

    static let valid = [
        "{}", "[]", "0", "-0", "1.5e10", "-12.25E-3", "true", "false", "null", #""""#, #""\u00e9\ud83d\ude00""#,
        #" { "a" : [ 1 , 2 , { } ] , "b" : "x\"y\\z\/" } "#, "\n\t{\r\n}\n", #"{"a":{"b":{"c":[[[]]]}}}"#,
        #"{"dup":1,"dup":2}"#, #""é€😀""#, #"[1,"two",null,true,false,{"x":-0.0}]"#,
    ]

    static let invalid = [
        "", " ", "[Áudio]", "{", "}", "{]", "[}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "[1,]", "[,1]", "{,}",
        "01", "1.", ".5", "-", "+1", "1e", "1e+", "0x10", "NaN", "Infinity", "tru", "nul", "True",
        "'single'", "{'a':1}", "{a:1}", #""unterminated"#, #""bad \x escape""#, #""\u12""#, #""\u12G4""#,
        "\"tab\there\"", "\"new\nline\"", "{} {}", "{}x", "[1 2]", "{\"a\":1 \"b\":2}", "/* c */ {}", "{}//",
        String(repeating: "[", count: 300) + String(repeating: "]", count: 300),
    ]

    @Test(arguments: valid)
    func acceptsValidJSON(text: String) {
        #expect(Self.isValid(text))
        // The reference reader agrees (fragments allowed, as RFC 8259 does).
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil)
    }

    @Test(arguments: invalid)
    func refusesInvalidJSON(text: String) {
        #expect(!Self.isValid(text))
    }

    @Test func refusesInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],  // not a UTF-8 byte
            [0x22, 0xC3, 0x22],  // cut-off sequence
            [0x22, 0xC0, 0xAF, 0x22],  // overlong '/'
            [0x22, 0xED, 0xA0, 0x80, 0x22],  // encoded surrogate
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],  // above U+10FFFF
            [0x7B, 0xC3, 0xA9, 0x7D],  // non-ASCII outside a string
        ]
        for bytes in cases { #expect(!Self.isValid(bytes: bytes), "\(bytes)") }
        #expect(Self.isValid(bytes: [0x22, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80, 0x22]))
    }

    @Test func unescapesStrings() {
        var text = #""a\"b\\c\/d\n\u00e9\ud83d\ude00\ud800x""#
        let decoded = text.withUTF8 { buffer in
            var cursor = JSONCursor(buffer)
            let span = try! cursor.readDocument()
            return cursor.string(span)
        }
        #expect(decoded == "a\"b\\c/d\né😀\u{FFFD}x")
    }

    @Test func readsIntegersWithoutOverflow() {
        func integer(_ text: String, truncating: Bool = false) -> Int64? {
            var text = text
            return text.withUTF8 { buffer in
                var cursor = JSONCursor(buffer)
                guard let span = try? cursor.readDocument() else { return nil }
                return span.kind == .number
                    ? cursor.integer(span, truncatingFraction: truncating)
                    : cursor.integerInString(span, truncatingFraction: truncating)
            }
        }
        #expect(integer("9223372036854775807") == Int64.max)
        #expect(integer("9223372036854775808") == nil)
        #expect(integer("-42") == -42)
        #expect(integer("18342.0") == 18342)
        #expect(integer("1.8342e4") == 18342)
        #expect(integer("7.9") == nil)
        #expect(integer("7.9", truncating: true) == 7)
        #expect(integer(#""18342""#) == 18342)
        #expect(integer(#"" 18342""#) == nil)
        #expect(integer(#""18342abc""#) == nil)
        #expect(integer(#""""#) == nil)
    }
}
