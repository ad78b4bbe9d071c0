import Foundation
import Testing

/// `docs/first-run.md` is executed: every ```sh block, in order, in one fresh folder, with the
/// built binary on the PATH as `audiosync` and a home of its own. A step that fails fails the test,
/// so the walk-through cannot drift from the tool.
struct FirstRunDocTests {
    static let document = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/first-run.md")

    /// The document's shell blocks, in order.
    static func blocks() throws -> [String] {
        var blocks: [String] = []
        var current: [Substring]?
        for line in try String(contentsOf: document, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        {
            if current == nil, line == "```sh" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    @Test("Every command of docs/first-run.md runs, in order, on the store it generates")
    func walkThrough() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count >= 8, "the walk-through lost its steps")
        let folder = NSTemporaryDirectory() + "audiosync-first-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder + "/home", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let binFolder = BinaryTests.binary.deletingLastPathComponent().path
        for (index, block) in blocks.enumerated() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "set -euo pipefail\n" + block]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = binFolder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            environment["HOME"] = folder + "/home"
            environment["XDG_CONFIG_HOME"] = folder + "/home/.config"
            environment["XDG_CACHE_HOME"] = folder + "/home/.cache"
            environment["AUDIOSYNC_LOG_LEVEL"] = nil
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "step \(index + 1) failed:\n\(block)\n---\n\(text.suffix(2_000))")
            if process.terminationStatus != 0 { return }
        }
    }
}
