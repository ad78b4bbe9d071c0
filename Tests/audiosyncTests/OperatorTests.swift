import Foundation
import GRDB
import Testing

/// What an operator who installs audiosync on a CRM's server meets, through the built binary:
/// the config file, exit codes, quiet and verbose runs, the journal without a media root, undo's
/// dry run, cache pruning, clients by any name, and words instead of jargon.
@Suite(.serialized)
struct OperatorTests {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "audiosync-operator-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("audiosync.yml in the current folder replaces --media-root and --database; flags override it")
    func configFileInCurrentFolder() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 31, defects: [])
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "media_root: \(store.mediaRoot)\ndatabase: \(store.database)\n".write(
            toFile: folder + "/audiosync.yml", atomically: true, encoding: .utf8)
        let sync = try BinaryTests.run(["sync", "-n", "--json", "--no-probe-cache"], in: folder)
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(try Self.json(sync.stdout)["media_root"] as? String == store.mediaRoot)

        let shown = try BinaryTests.run(["config", "show", "--json"], in: folder)
        #expect(shown.status == 0, "\(shown.stderr)")
        let settings = try #require(try Self.json(shown.stdout)["settings"] as? [[String: Any]])
        let media = try #require(settings.first { $0["name"] as? String == "media_root" })
        #expect(media["value"] as? String == store.mediaRoot)
        #expect((media["source"] as? [String: Any])?["kind"] as? String == "config_file")
        let template = try #require(settings.first { $0["name"] as? String == "url_template" })
        #expect((template["source"] as? [String: Any])?["kind"] as? String == "default")

        // A flag wins over the file.
        let overridden = try BinaryTests.run(["config", "show", "--media-root", "/elsewhere"], in: folder)
        #expect(overridden.stdout.contains("/elsewhere   ← flag --media-root"), "\(overridden.stdout)")
    }

    @Test("The config file under $XDG_CONFIG_HOME is found; relative paths are read from its folder")
    func configFileInConfigHome() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 32, defects: [])
        let home = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/audiosync", withIntermediateDirectories: true)
        // The store's folder, relative to the config file's.
        let relative = "../../.." + store.folder
        try "media_root: \(relative)/media\ndatabase: \(relative)/messages.sqlite\n".write(
            toFile: home + "/audiosync/audiosync.yml", atomically: true, encoding: .utf8)
        let elsewhere = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let status = try BinaryTests.run(
            ["status", "--json", "--no-probe-cache"], environment: ["XDG_CONFIG_HOME": home], in: elsewhere)
        #expect(status.status == 0, "\(status.stderr)")
        #expect(try Self.json(status.stdout)["media_root"] as? String == store.mediaRoot)
    }

    @Test("A config file with an unknown key exits 78 naming the key; a missing setting exits 64 naming the flag")
    func configErrors() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "media_rot: /srv\n".write(toFile: folder + "/audiosync.yml", atomically: true, encoding: .utf8)
        let bad = try BinaryTests.run(["sync", "-n"], in: folder)
        #expect(bad.status == 78)
        #expect(bad.stderr.contains("unknown key `media_rot`"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1)
        try FileManager.default.removeItem(atPath: folder + "/audiosync.yml")
        let missing = try BinaryTests.run(["sync", "-n", "--database", "x.sqlite"], in: folder)
        #expect(missing.status == 64)
        #expect(
            missing.stderr.contains("pass --media-root, or put `media_root:` in audiosync.yml"), "\(missing.stderr)")
    }

    @Test("profile show prints the built-in profile, which reads back as a profile")
    func profileShow() throws {
        let shown = try BinaryTests.run(["profile", "show"])
        #expect(shown.status == 0)
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("strategies/presets/default.yml")
        #expect(shown.stdout == (try String(contentsOf: file, encoding: .utf8)))
    }

    @Test("A bad AUDIOSYNC_LOG_LEVEL is refused; info logs a dry run; -q prints nothing but errors")
    func logLevels() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 33, defects: [])
        let arguments = [
            "sync", "-n", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache",
        ]
        let bad = try BinaryTests.run(arguments, environment: ["AUDIOSYNC_LOG_LEVEL": "loud"])
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("AUDIOSYNC_LOG_LEVEL=loud is not a log level"), "\(bad.stderr)")
        let info = try BinaryTests.run(arguments, environment: ["AUDIOSYNC_LOG_LEVEL": "info"])
        #expect(info.status == 0)
        #expect(info.stderr.contains("loaded audio messages") && info.stderr.contains("planned"), "\(info.stderr)")
        let verbose = try BinaryTests.run(arguments + ["-v"])
        #expect(verbose.stderr.contains("scanned the media store"))
        let quiet = try BinaryTests.run(arguments + ["-q"], environment: ["AUDIOSYNC_LOG_LEVEL": "info"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty, "\(quiet.stdout)\(quiet.stderr)")
    }

    @Test("--strict exits 3 when files went to review, 0 otherwise; -n is --dry-run")
    func strictExitCode() async throws {
        let store = try await TestStore(messages: 1_500, files: 450, chats: 30, seed: 27)
        let arguments = [
            "sync", "-n", "--json", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache",
        ]
        let plain = try BinaryTests.run(arguments)
        #expect(plain.status == 0)
        let document = try Self.json(plain.stdout)
        #expect(document["dry_run"] as? Bool == true)
        let reviews =
            try #require((document["counts"] as? [String: Any])?["files"] as? [String: Any])["sent_to_review"]
            as? Int
        let strict = try BinaryTests.run(arguments + ["--strict"])
        #expect(strict.status == (reviews! > 0 ? 3 : 0), "reviews \(reviews!)")
        #expect(reviews! > 0, "the store should send some files to review, or this test shows nothing")
    }

    @Test("runs and status need only the database; undo --dry-run lists what undo then restores, writing nothing")
    func journalWithoutMediaRoot() async throws {
        let store = try await TestStore(messages: 300, files: 90, chats: 6, seed: 34, defects: [])
        let sync = try BinaryTests.run([
            "sync", "--json", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache",
        ])
        #expect(sync.status == 0, "\(sync.stderr)")
        let run = try #require(try Self.json(sync.stdout)["run"] as? Int)
        let runs = try BinaryTests.run(["runs", "--database", store.database, "--json"])
        #expect(runs.status == 0, "\(runs.stderr)")
        let listed = try #require(try Self.json(runs.stdout)["runs"] as? [[String: Any]])
        #expect(listed.first?["id"] as? Int == run)
        let status = try BinaryTests.run(["status", "--database", store.database])
        #expect(status.status == 0, "\(status.stderr)")
        #expect(status.stdout.contains("run \(run)"))

        let before = try store.databaseDigest()
        let preview = try BinaryTests.run(["undo", "-n", String(run), "--database", store.database, "--json"])
        #expect(preview.status == 0, "\(preview.stderr)")
        #expect(try store.databaseDigest() == before, "a dry run wrote to the database")
        let rows = try #require(try Self.json(preview.stdout)["rows"] as? [[String: Any]])
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0["local_path_now"] is String && $0["local_path_after"] is NSNull })
        let undo = try BinaryTests.run(["undo", String(run), "--database", store.database, "--json"])
        #expect(try Self.json(undo.stdout)["restored"] as? Int == rows.count)
    }

    @Test("cache prune removes the caches of media roots that are gone, and only with no --dry-run")
    func cachePrune() async throws {
        let kept = try await TestStore(messages: 200, files: 60, chats: 5, seed: 35, defects: [])
        let gone = try await TestStore(messages: 200, files: 60, chats: 5, seed: 36, defects: [])
        let cacheHome = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: cacheHome) }
        for store in [kept, gone] {
            let scan = try BinaryTests.run(
                ["scan", "--media-root", store.mediaRoot, "-q"], environment: ["XDG_CACHE_HOME": cacheHome])
            #expect(scan.status == 0, "\(scan.stderr)")
        }
        try FileManager.default.removeItem(atPath: gone.mediaRoot)
        let caches = {
            try FileManager.default.contentsOfDirectory(atPath: cacheHome + "/audiosync").filter {
                $0.hasSuffix(".sqlite")
            }
        }
        #expect(try caches().count == 2)
        let dry = try BinaryTests.run(["cache", "prune", "-n", "--json"], environment: ["XDG_CACHE_HOME": cacheHome])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(try Self.json(dry.stdout)["removed"] as? Int == 1)
        #expect(try caches().count == 2, "a dry run removed a cache")
        let pruned = try BinaryTests.run(["cache", "prune"], environment: ["XDG_CACHE_HOME": cacheHome])
        #expect(pruned.stdout.contains("removed: its media root is gone"), "\(pruned.stdout)")
        #expect(try caches().count == 1)
    }

    @Test("--client and --instance take ids, names and folders alike (instance_ prefix too), in sync and scan")
    func scopeSpellings() async throws {
        let store = try await TestStore(messages: 300, files: 90, chats: 6, seed: 37, defects: [])
        let clients = try BinaryTests.run([
            "clients", "--database", store.database, "--media-root", store.mediaRoot, "--json",
        ])
        #expect(clients.status == 0, "\(clients.stderr)")
        let first = try #require((try Self.json(clients.stdout)["clients"] as? [[String: Any]])?.first)
        let id = try #require(first["id"] as? Int)
        let name = try #require(first["name"] as? String)
        let folder = try #require((first["folders_found"] as? [String])?.first)
        let instance = try #require((first["instances"] as? [[String: Any]])?.first?["instance_id"] as? String)
        var linked: Set<Int> = []
        for client in [String(id), name, folder] {
            for scope in [instance, "instance_" + instance] {
                let sync = try BinaryTests.run([
                    "sync", "-n", "--json", "--media-root", store.mediaRoot, "--database", store.database,
                    "--no-probe-cache", "--client", client, "--instance", scope,
                ])
                #expect(sync.status == 0, "--client \(client) --instance \(scope): \(sync.stderr)")
                let counts = try #require(try Self.json(sync.stdout)["counts"] as? [String: Any])
                linked.insert(try #require((counts["files"] as? [String: Any])?["linked"] as? Int))
                let scan = try BinaryTests.run([
                    "scan", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache",
                    "--client", client, "--instance", scope, "--json",
                ])
                #expect(scan.status == 0, "scan --client \(client): \(scan.stderr)")
                let files = try #require(try Self.json(scan.stdout)["files"] as? [[String: Any]])
                #expect(!files.isEmpty && files.allSatisfy { $0["instance"] as? String == instance })
            }
        }
        #expect(linked.count == 1, "every spelling names the same scope")
    }

    @Test("--url-template may use {path}: the localUrl written is the file's path, percent-encoded")
    func urlTemplateWithPath() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 38, defects: [])
        let sync = try BinaryTests.run([
            "sync", "--json", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache",
            "--url-template", "/media/{path}",
        ])
        #expect(sync.status == 0, "\(sync.stderr)")
        let links = try #require((try Self.json(sync.stdout)["plan"] as? [String: Any])?["links"] as? [[String: Any]])
        let link = try #require(links.first)
        let row = try #require(try store.conteudos()[Int64(link["message_id"] as! Int)] ?? nil)
        let file = link["file"] as! String
        let encoded = file.addingPercentEncoding(
            withAllowedCharacters: .init(
                charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/"))!
        #expect(
            row.contains("\"localUrl\":\"/media/\(encoded)\"") || row.contains("\"localUrl\": \"/media/\(encoded)\""),
            "\(row)")
        let refused = try BinaryTests.run(["sync", "--url-template", "/media/x"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("{id}") && refused.stderr.contains("{path}"))
    }

    @Test("explain --message shows the message: chat, sender, time, declared length and hash; the decision is a code")
    func explainMessage() async throws {
        let store = try await TestStore(messages: 200, files: 60, chats: 5, seed: 39, defects: [])
        let arguments = ["--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache"]
        let sync = try BinaryTests.run(["sync", "-n", "--json"] + arguments)
        let link = try #require(
            ((try Self.json(sync.stdout)["plan"] as? [String: Any])?["links"] as? [[String: Any]])?.first)
        let id = String(link["message_id"] as! Int)
        let text = try BinaryTests.run(["explain", "--message", id] + arguments)
        #expect(text.status == 0, "\(text.stderr)")
        for label in ["chat ", "sender ", "time ", "length ", "SHA-256 ", "decision: linked to"] {
            #expect(text.stdout.contains(label), "no \(label) in \(text.stdout)")
        }
        let json = try Self.json(try BinaryTests.run(["explain", "--message", id, "--json"] + arguments).stdout)
        #expect((json["decision"] as? [String: Any])?["code"] as? String == "linked")
        #expect((json["decision"] as? [String: Any])?["file"] as? String == link["file"] as? String)
        #expect((json["message"] as? [String: Any])?["chat"] is String)
        #expect(json["decision_text"] is String)
    }

    @Test("Damaged files say what is wrong and what to do; no internal jargon in the default text")
    func wordsForPeople() async throws {
        let store = try await TestStore(messages: 1_500, files: 450, chats: 30, seed: 27)
        let arguments = ["--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache"]
        let sync = try BinaryTests.run(["sync", "-n"] + arguments)
        #expect(sync.status == 0)
        #expect(sync.stdout.contains("download it again"), "no advice for damaged files")
        for jargon in ["conteudo", "partition(s)", "largest component", "spec §", "claims"] {
            #expect(!sync.stdout.contains(jargon), "`\(jargon)` in the default text")
        }
        let scan = try BinaryTests.run(["scan"] + arguments)
        #expect(!scan.stdout.contains("audio files ("), "the scan's summary went to stdout")
        #expect(scan.stderr.contains("audio files ("))
    }

    @Test("Every figure of the text report is the JSON's counts, and the counts add up")
    func oneTruthPerCount() async throws {
        let store = try await TestStore(messages: 1_500, files: 450, chats: 30, seed: 27)
        let arguments = [
            "sync", "-n", "--media-root", store.mediaRoot, "--database", store.database, "--no-probe-cache",
        ]
        let text = try BinaryTests.run(arguments).stdout
        let document = try Self.json(try BinaryTests.run(arguments + ["--json"]).stdout)
        let counts = try #require(document["counts"] as? [String: Any])
        func figure(_ label: String) -> Int? {
            text.split(separator: "\n").first { $0.hasPrefix("  \(label)  ") }
                .flatMap {
                    Int(
                        $0.dropFirst(2 + label.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first
                            ?? "")
                }
        }
        let sections = [
            "files": ["seen", "audio", "damaged", "linked", "duplicates", "sent to review", "left unmatched"],
            "writes": ["planned", "new links", "repairs", "removals", "would be written", "withheld"],
        ]
        for (section, labels) in sections {
            let values = try #require(counts[section] as? [String: Any])
            for label in labels {
                let key = label == "would be written" ? "written" : label.replacingOccurrences(of: " ", with: "_")
                #expect(
                    figure(label) == values[key] as? Int,
                    "\(label): text \(figure(label) ?? -1), JSON \(values[key] ?? "none")")
            }
        }
        let files = try #require(counts["files"] as? [String: Int])
        #expect(
            files["audio"]! == files["linked"]! + files["duplicates"]! + files["sent_to_review"]! + files[
                "left_unmatched"]!)
        #expect(files["seen"]! == files["audio"]! + files["not_audio"]!)
        let plan = try #require(document["plan"] as? [String: Any])
        #expect((plan["links"] as? [Any])?.count == files["linked"])
        let unmatched = try #require(plan["unmatched"] as? [[String: Any]])
        #expect(
            unmatched.filter { !["duplicate", "in_review"].contains($0["reason"] as? String) }.count
                == files["left_unmatched"])
    }
}
