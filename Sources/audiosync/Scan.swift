import ArgumentParser
import AudioProbe
import Foundation
import Logging
import MatchEngine
import MediaStore
import Synchronization

extension AudioSync {
    /// `audiosync scan`: lists a media store's audio files with what their names and bytes say.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the audio files of a media store with their folders, name token, format and duration.",
            discussion: """
                Walks <client>/instance_<id>/chats/<chat>/[<kind>/]<file> under the media root, \
                sniffs each audio file's format from its bytes and reads its duration on all cores. \
                Probes are cached (by path, size and mtime), so a second scan reads no audio bytes. \
                Prints one line per file and a summary; progress goes to stderr when it is a terminal. \
                Text lines are tab-separated: path, format, duration (~ marks an estimate), size, \
                problem, token, name time. JSON lines carry client, instance, chat and kind as well.
                """
        )

        enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
            case text
            case jsonl
        }

        @Option(name: .customLong("media-root"), help: "The media store's root folder.")
        var mediaRoot: String

        @Option(help: "How to print the files.")
        var format: OutputFormat = .text

        @Option(help: "Only this client: its folder or its name (accents, case and underscores aside).")
        var client: String?

        @Option(help: "Only this instance id (without 'instance_').")
        var instance: String?

        @Option(name: .customLong("probe-cache"), help: "The probe cache file (default: $XDG_CACHE_HOME/audiosync/).")
        var probeCache: String?

        @Flag(name: .customLong("no-probe-cache"), help: "Probe every file; read and write no cache.")
        var noProbeCache = false

        func validate() throws {
            if noProbeCache && probeCache != nil {
                throw ValidationError("--probe-cache and --no-probe-cache contradict each other; pass one.")
            }
        }

        func run() async throws {
            let cache: ScanOptions.CacheLocation =
                noProbeCache ? .disabled : probeCache.map { .file($0) } ?? .standard
            let scanner = MediaStoreScanner(
                root: mediaRoot, options: ScanOptions(cache: cache), logger: Logger(label: "audiosync.scan"))
            let progress = ProgressLine.ifTerminal()
            let result: ScanResult
            do {
                result = try scanner.scan(scope: ScanScope(clientFolder: client, instanceID: instance)) {
                    progress?.show($0)
                }
            } catch {
                progress?.clear()
                FileHandle.standardError.write(Data("audiosync scan: \(error)\n".utf8))
                throw ExitCode.runtimeFailure
            }
            progress?.clear()
            let output = ScanReport(result: result)
            switch format {
            case .text: output.writeText()
            case .jsonl: output.writeJSONLines()
            }
        }
    }
}

// The command's own helpers live here, beside it: the CLI target's other files belong to other commands.

/// Renders a scan: one line per file, then the summary.
private struct ScanReport {
    let result: ScanResult

    func writeText() {
        var out = ""
        for file in result.files {
            let duration =
                file.duration.map { String(format: "%.3fs", $0) + (file.durationIsEstimate ? "~" : "") } ?? "-"
            out += "\(file.path)\t\(file.format.rawValue)\t\(duration)\t\(file.size)\t\(file.problem?.rawValue ?? "-")"
            out += "\t\(file.name.token ?? "-")\t\(file.name.time?.iso8601 ?? "-")\n"
            flushIfLarge(&out)
        }
        out += "\(result.files.count) audio files (\(result.probedFiles) probed, \(result.cachedFiles) from the cache)"
        out += String(format: " in %.2f s\n", result.timings.total)
        out += "formats: " + counts(result.countsByFormat.map { ($0.key.rawValue, $0.value) }) + "\n"
        out += "problems: " + counts(result.countsByProblem.map { ($0.key.rawValue, $0.value) }) + "\n"
        out += "skipped: " + counts(result.skipped.map { ($0.key.rawValue, $0.value) }) + "\n"
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    func writeJSONLines() {
        var out = ""
        for file in result.files {
            let fields: [(String, String)] = [
                ("type", json("file")),
                ("path", json(file.path)),
                ("client", json(file.clientFolder)),
                ("instance", json(file.instanceID)),
                ("chat", json(file.chatFolder)),
                ("kind", json(file.kind)),
                ("token", json(file.name.token)),
                ("token_kind", json(file.name.tokenKind?.rawValue)),
                ("name_time", json(file.name.time?.iso8601)),
                ("format", json(file.format.rawValue)),
                ("duration", file.duration.map { String($0) } ?? "null"),
                ("duration_is_estimate", String(file.durationIsEstimate)),
                ("size", String(file.size)),
                ("mtime", file.modificationTime.map { String($0) } ?? "null"),
                ("problem", json(file.problem?.rawValue)),
            ]
            out += "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
            flushIfLarge(&out)
        }
        let summary: [(String, String)] = [
            ("type", json("summary")),
            ("files", String(result.files.count)),
            ("probed", String(result.probedFiles)),
            ("cached", String(result.cachedFiles)),
            ("extension_mismatches", String(result.extensionMismatches)),
            ("formats", object(result.countsByFormat.map { ($0.key.rawValue, $0.value) })),
            ("problems", object(result.countsByProblem.map { ($0.key.rawValue, $0.value) })),
            ("skipped", object(result.skipped.map { ($0.key.rawValue, $0.value) })),
            ("seconds", String(result.timings.total)),
        ]
        out += "{" + summary.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}\n"
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func flushIfLarge(_ out: inout String) {
        if out.utf8.count > 1 << 16 {
            FileHandle.standardOutput.write(Data(out.utf8))
            out = ""
        }
    }

    private func counts(_ pairs: [(String, Int)]) -> String {
        pairs.isEmpty ? "none" : pairs.sorted { $0.0 < $1.0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    private func object(_ pairs: [(String, Int)]) -> String {
        "{" + pairs.sorted { $0.0 < $1.0 }.map { "\(json($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal (or `null`), escaping quotes, backslashes and control characters.
    private func json(_ text: String?) -> String {
        guard let text else { return "null" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension ProgressLine {
    /// Shows where a scan is: walking (files found) or probing (files probed of those found).
    func show(_ progress: ScanProgress) {
        switch progress.phase {
        case .walking: show("scanning: \(progress.candidates) audio files found")
        case .probing, .done: show(stage: "probing", done: progress.probed, total: progress.candidates)
        }
    }
}
