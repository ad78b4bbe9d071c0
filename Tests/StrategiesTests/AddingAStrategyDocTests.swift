import Foundation
import Testing

/// `docs/adding-a-strategy.md` shows whole files; they must be the files in the repository.
struct AddingAStrategyDocTests {
    static let root = URL(filePath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("Every file the walk-through shows is the file in the repository, to the byte")
    func walkThroughIsTrue() throws {
        let doc = try String(contentsOf: Self.root.appending(path: "docs/adding-a-strategy.md"), encoding: .utf8)
        var shown = 0
        for block in doc.components(separatedBy: "```swift\n").dropFirst() {
            let code = block.components(separatedBy: "\n```")[0]
            guard code.hasPrefix("// strategies/") else { continue }
            let firstNewline = code.firstIndex(of: "\n")!
            let path = String(code[code.index(code.startIndex, offsetBy: 3)..<firstNewline])
            let body = String(code[code.index(after: firstNewline)...])
            let file = try String(contentsOf: Self.root.appending(path: path), encoding: .utf8)
            #expect(
                file.trimmingCharacters(in: .whitespacesAndNewlines)
                    == body.trimmingCharacters(in: .whitespacesAndNewlines), "\(path)")
            shown += 1
        }
        #expect(shown == 2)
        let list = try String(
            contentsOf: Self.root.appending(path: "strategies/BuiltInStrategies.swift"), encoding: .utf8)
        #expect(list.contains("    FormatMimetypeStrategy.self,\n"))
    }
}
