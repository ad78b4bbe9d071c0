import ArgumentParser
import Foundation
import MatchEngine
import Strategies
import Sync

/// Where the files and the messages are: every command that reads a store takes these.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("media-root"), help: ArgumentHelp("The media store's root folder.", valueName: "dir"))
    var mediaRoot: String

    @Option(
        help: ArgumentHelp(
            "The CRM's database: a SQLite file, or postgres://user:pass@host:port/db.",
            valueName: "path-or-url"
        )
    )
    var database: String
}

/// `--client` and `--instance`: restrict files and messages alike.
struct ScopeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only this client: core_cliente.id, or its name (accents and case aside).", valueName: "name|id"))
    var client: String?

    @Option(help: ArgumentHelp("Only this instance (core_whatsappinstance.instance_id).", valueName: "id"))
    var instance: String?
}

/// `--profile`.
struct ProfileOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A weight profile (YAML). Default: the built-in one, strategies/presets/default.yml.",
            valueName: "file"
        )
    )
    var profile: String?

    /// The profile and how to name it in reports.
    func load() throws -> (Profile, String) {
        guard let profile else { return (Profile.builtInDefault, "built-in default (strategies/presets/default.yml)") }
        guard let text = try? String(contentsOfFile: profile, encoding: .utf8) else {
            throw CommandFailure("cannot read the profile \(profile): check the path", code: .configuration)
        }
        do {
            return (try ProfileLoader.profile(yaml: text, fileName: profile), profile)
        } catch let error as ProfileError {
            throw CommandFailure(
                "\(error) — fix the profile (keys are listed in docs/profiles.md)", code: .configuration)
        }
    }
}

/// `--probe-cache` and `--no-probe-cache`.
struct ProbeCacheOptions: ParsableArguments {
    @Option(
        name: .customLong("probe-cache"),
        help: ArgumentHelp("The probe cache file (default: under $XDG_CACHE_HOME/audiosync/).", valueName: "file"))
    var probeCache: String?

    @Flag(name: .customLong("no-probe-cache"), help: "Probe every file; read and write no cache.")
    var noProbeCache = false

    func validate() throws {
        if noProbeCache && probeCache != nil {
            throw ValidationError("--probe-cache and --no-probe-cache contradict each other; pass one.")
        }
    }
}

/// `--json`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON (schema: docs/json-output.md) instead of text.")
    var json = false
}
