import ArgumentParser
import Foundation
import MatchEngine
import MediaStore
import MessageStore
import Strategies
import Sync

/// `--config`, `-q` and `-v`: every command takes them.
struct GeneralOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Read settings from this file instead of ./audiosync.yml or ~/.config/audiosync/audiosync.yml.",
            valueName: "file"))
    var config: String?

    @Flag(name: .shortAndLong, help: "Print only errors (and the JSON document with --json); no progress.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log what is done on stderr (-v info, -vv debug); overrides AUDIOSYNC_LOG_LEVEL.")
    var verbose: Int

    func validate() throws {
        if quiet && verbose > 0 { throw ValidationError("-q and -v contradict each other; pass one.") }
    }
}

/// `--media-root`: the media store's folder.
struct MediaRootOptions: ParsableArguments {
    @Option(
        name: .customLong("media-root"),
        help: ArgumentHelp("The media store's root folder (or media_root in audiosync.yml).", valueName: "dir"))
    var mediaRoot: String?
}

/// `--database`: the CRM's database.
struct DatabaseOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The CRM's database: a SQLite file, or postgres://user@host:port/db (password from PGPASSWORD or ~/.pgpass). Default: AUDIOSYNC_DATABASE, DATABASE_URL, database in audiosync.yml.",
            valueName: "path-or-url"
        )
    )
    var database: String?
}

/// Where the files and the messages are: every command that reads both takes these.
struct StoreOptions: ParsableArguments {
    @OptionGroup var media: MediaRootOptions
    @OptionGroup var databaseOptions: DatabaseOptions

    var mediaRoot: String? { media.mediaRoot }
    var database: String? { databaseOptions.database }
}

/// `--client` and `--instance`: restrict files and messages alike. Each takes what people have at
/// hand: an id, a name, or the folder's spelling.
struct ScopeOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Only this client: core_cliente.id, its name or its folder (accents, case and underscores aside).",
            valueName: "id|name|folder"))
    var client: String?

    @Option(
        help: ArgumentHelp(
            "Only this instance: its instance_id or its folder (instance_<id>). Its client's chats that name "
                + "no instance are its too: their notes are in the client's instance folders.",
            valueName: "id|folder"))
    var instance: String?
}

/// `--profile`.
struct ProfileOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A weight profile (YAML; or profile in audiosync.yml). Default: the built-in one (audiosync profile show).",
            valueName: "file"
        )
    )
    var profile: String?
}

extension ProfileChoice {
    /// The built-in profile, which `audiosync profile show` prints.
    static let builtInDefault = ProfileChoice(
        .builtInDefault, source: "built-in (audiosync profile show)", content: "built-in default")

    /// The profile at `path`, or the built-in one.
    /// - Throws: ``CommandFailure`` with exit 78 when the file cannot be read or is wrong.
    static func load(_ path: String?) throws -> ProfileChoice {
        guard let path else { return .builtInDefault }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CommandFailure(
                "cannot read the profile \(path): check the path (or drop --profile for the built-in one)",
                code: .configuration)
        }
        do {
            return ProfileChoice(try ProfileLoader.profile(yaml: text, fileName: path), source: path, content: text)
        } catch let error as ProfileError {
            throw CommandFailure(
                "\(error) — fix the profile (keys are listed in docs/profiles.md; `audiosync profile show` prints the defaults)",
                code: .configuration)
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

    var location: ScanOptions.CacheLocation {
        noProbeCache ? .disabled : probeCache.map { .file($0) } ?? .standard
    }
}

/// `--json`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the result as one JSON document (schema: docs/json-output.md) instead of text.")
    var json = false
}

/// `--url-template`: the localUrl a link gets (sync, review, serve), checked the same way wherever it
/// comes from (the flag here, `url_template` in audiosync.yml through ``validate(_:)``).
struct URLTemplateOptions: ParsableArguments {
    @Option(
        name: .customLong("url-template"),
        help: ArgumentHelp(
            "The localUrl a link gets: {id} is core_mensagem.id, {path} the file's path (or url_template in audiosync.yml).",
            valueName: "template")
    )
    var urlTemplate: String?

    func validate() throws {
        if let urlTemplate { try Self.validate(urlTemplate) }
    }

    static func validate(_ template: String) throws {
        guard template.contains("{id}") || template.contains("{path}") else {
            throw ValidationError(
                "--url-template must contain {id} (the message's row id) or {path} (the file's path), such as /media/{path}."
            )
        }
    }
}

/// How a command that writes writes: `sync`, `watch` and `undo`.
struct WriteOptions: ParsableArguments {
    @Option(
        name: .customLong("batch-size"),
        help: ArgumentHelp("Rows per write transaction: small enough that the CRM never waits long.", valueName: "n")
    )
    var batchSize = 200

    @Option(
        name: .customLong("busy-timeout"),
        help: ArgumentHelp("How long to wait for another connection's lock (SQLite), in ms.", valueName: "ms")
    )
    var busyTimeout = 5_000

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size takes a count of 1 or more.") }
        guard busyTimeout >= 0 else { throw ValidationError("--busy-timeout takes milliseconds, 0 or more.") }
    }

    /// The store's options for these values.
    var storeOptions: MessageStoreOptions {
        MessageStoreOptions(busyTimeoutMilliseconds: busyTimeout, batchSize: batchSize)
    }
}
