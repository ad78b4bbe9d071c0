import ArgumentParser
import Foundation
import MatchEngine
import MediaStore
import MessageStore
import Strategies
import Sync

/// `--media-root`: the media store's folder. `scan` takes it alone; the others in ``StoreOptions``.
struct MediaRootOptions: ParsableArguments {
    @Option(name: .customLong("media-root"), help: ArgumentHelp("The media store's root folder.", valueName: "dir"))
    var mediaRoot: String

    /// The media store with its probe cache.
    func location(cache: ProbeCacheOptions) -> MediaLocation {
        MediaLocation(root: mediaRoot, probeCache: cache.location)
    }
}

/// `--database`: the CRM's database. `undo` takes it alone; the others in ``StoreOptions``.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The CRM's database: a SQLite file, or postgres://user:pass@host:port/db.",
            valueName: "path-or-url"
        )
    )
    var database: String

    /// The database, restricted to `scope` when one is given.
    func location(scope: ScopeOptions? = nil, options: MessageStoreOptions = MessageStoreOptions()) -> DatabaseLocation
    {
        DatabaseLocation(database: database, options: options, client: scope?.client, instance: scope?.instance)
    }
}

/// Where the files and the messages are: every command that reads both takes these.
struct StoreOptions: ParsableArguments {
    @OptionGroup var media: MediaRootOptions
    @OptionGroup var databaseOptions: DatabaseOptions

    var mediaRoot: String { media.mediaRoot }
    var database: String { databaseOptions.database }
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

    /// The profile, named as reports name it.
    func load() throws -> ProfileChoice {
        guard let profile else { return .builtInDefault }
        guard let text = try? String(contentsOfFile: profile, encoding: .utf8) else {
            throw CommandFailure("cannot read the profile \(profile): check the path", code: .configuration)
        }
        do {
            return ProfileChoice(try ProfileLoader.profile(yaml: text, fileName: profile), source: profile)
        } catch let error as ProfileError {
            throw CommandFailure(
                "\(error) — fix the profile (keys are listed in docs/profiles.md)", code: .configuration)
        }
    }
}

extension ProfileChoice {
    /// The built-in profile, which `strategies/presets/default.yml` spells out.
    static let builtInDefault = ProfileChoice(
        .builtInDefault, source: "built-in default (strategies/presets/default.yml)")
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

    var location: ScanOptions.CacheLocation {
        noProbeCache ? .disabled : probeCache.map { .file($0) } ?? .standard
    }
}

/// `--json`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the result as JSON (schema: docs/json-output.md) instead of text.")
    var json = false
}
