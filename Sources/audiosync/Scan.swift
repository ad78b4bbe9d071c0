import ArgumentParser
import Logging
import MediaStore
import Sync

extension AudioSync {
    /// `audiosync scan`: lists a media store's audio files with what their names and bytes say.
    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the audio files of a media store with their folders, name token, format and duration.",
            discussion: CommandHelp.discussion(
                """
                Walks <client>/instance_<id>/chats/<chat>/[<kind>/]<file> under the media root, \
                sniffs each audio file's format from its bytes and reads its duration on all cores. \
                Probes are cached (by path, size and mtime), so a second scan reads no audio bytes. \
                Text lines go to stdout, tab-separated: path, format, duration (~ marks an \
                estimate), size, problem, token, name time; the summary goes to stderr, so the \
                listing can be piped. --format jsonl prints one JSON object per file, then the \
                summary; --json one document. A client id needs the database (--database) to find \
                its folder; a name or folder does not.
                """,
                examples: [
                    ("Every audio file", "audiosync scan --media-root /srv/media"),
                    ("Damaged files only", "audiosync scan --media-root /srv/media | awk -F'\\t' '$5 != \"-\"'"),
                    ("One instance, as one JSON document", "audiosync scan --instance instance_3B6XIW --json"),
                ],
                exitCodes: CommandHelp.storeCodes)
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "Output") var output: ListingOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        func validate() throws {
            if output.json && output.format != nil {
                throw ValidationError("--json prints one document; --format picks a listing. Pass one.")
            }
        }

        func run() async throws {
            try await CommandContext.run("scan", general) { context in
                let settings = try context.settings(Settings.Flags(store: store, scope: scope))
                let media = try settings.media(cache: cache)
                let scanScope = try await Self.scope(settings, logger: context.logger)
                let result = try media.scanner(logger: context.logger)
                    .scan(scope: scanScope, progress: context.scanProgress)
                context.endProgress()
                if output.json {
                    Terminal.printDocument(try ScanReport(mediaRoot: media.root, scan: result).prettyJSON())
                    return
                }
                switch output.format ?? .text {
                case .text:
                    let files = result.files
                    Terminal.printLines(count: files.count) { ScanResult.textLine(files[$0]) }
                    if !context.quiet { Terminal.error(result.summaryText) }
                case .jsonl:
                    try Terminal.printJSONLines(result.fileLines)
                    try Terminal.printJSONLines(CollectionOfOne(result.summaryLine))
                }
            }
        }

        /// The folders to walk: a client id is looked up in the database (when there is one);
        /// names and folders are compared with accents, case and underscores aside.
        static func scope(_ settings: Settings, logger: Logger) async throws -> ScanScope {
            let client = settings[.client]
            let instance = settings[.instance].map(DatabaseLocation.instanceID)
            guard let client, Int64(client) != nil else { return ScanScope(clientFolder: client, instanceID: instance) }
            guard settings[.database] != nil else {
                throw CommandFailure(
                    "--client \(client) is an id, and only the database can name its folder: pass --database, or give the client's name or folder (`audiosync clients` lists them)",
                    code: .validationFailure)
            }
            return try await settings.database().scanScope(logger: logger)
        }
    }
}

/// `scan`'s output: a listing (lines of text or of JSON), or one document.
struct ListingOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case jsonl
    }

    @Option(help: "How to list the files (default: text).")
    var format: Format?

    @Flag(help: "Print the files and the summary as one JSON document (schema: docs/json-output.md).")
    var json = false
}
