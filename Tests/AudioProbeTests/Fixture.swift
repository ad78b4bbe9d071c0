import AudioProbe
import Foundation

/// The committed fixtures (see Fixtures/make-fixtures.sh) and their reference durations.
struct Fixture: Sendable, CustomStringConvertible {
    let name: String
    let sourceSamples: Int
    let sourceRate: Int
    let referenceSamples: Int?

    var description: String { name }
    var path: String { Fixture.directory + "/" + name }
    var sourceSeconds: Double { Double(sourceSamples) / Double(sourceRate) }
    var bytes: [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    static let directory: String = {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        return url.path
    }()

    static let all: [Fixture] = {
        let data = FileManager.default.contents(atPath: directory + "/durations.json")!
        let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        return object.keys.sorted().compactMap { name in
            guard let entry = object[name] as? [String: Any], let samples = entry["source_samples"] as? Int,
                let rate = entry["source_rate"] as? Int
            else { return nil }
            return Fixture(
                name: name, sourceSamples: samples, sourceRate: rate,
                referenceSamples: entry["reference_samples"] as? Int)
        }
    }()

    static func named(_ name: String) -> Fixture { all.first { $0.name == name }! }

    /// The fixtures of one family, by name prefix.
    static func with(prefix: String) -> [Fixture] { all.filter { $0.name.hasPrefix(prefix) } }
}

/// A scratch folder that removes itself.
final class ScratchDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "audioprobe-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = path + "/" + name
        precondition(FileManager.default.createFile(atPath: file, contents: Data(bytes)), "cannot write the test file")
        return file
    }
}
