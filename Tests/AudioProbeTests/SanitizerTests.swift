import Foundation
import Testing

/// Runs scripts/asan-probe.sh (the C shim under AddressSanitizer and UBSan) on the damaged set,
/// when a clang with the sanitizer runtimes is there; CI installs one.
@Suite struct SanitizerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static let clang: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/opt/swift/usr/bin"] {
            let candidate = directory + "/clang"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }()

    @Test(.enabled(if: clang != nil, "needs clang with the ASan runtime"))
    func shimIsCleanUnderAddressSanitizerOnTheDamagedSet() throws {
        let scratch = ScratchDirectory()
        for variant in DamagedSet.variants { scratch.write(variant.name, variant.bytes) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.repository + "/scripts/asan-probe.sh")
        process.arguments = [scratch.path, Self.repository + "/fuzz/regressions"]
        var environment = ProcessInfo.processInfo.environment
        environment["CC"] = Self.clang
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text.suffix(4000))")
        #expect(text.contains("0 fast/reference disagreements"), "\(text.suffix(2000))")
    }
}
