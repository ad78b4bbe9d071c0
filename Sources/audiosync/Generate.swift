import ArgumentParser
import Evaluation

extension AudioSync {
    /// `audiosync generate`: synthetic stores with known truth.
    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a synthetic media store, its SQLite database and a truth file, from a seed.",
            discussion: CommandHelp.discussion(
                """
                The store has real Ogg Opus voice notes (libopus) of exactly known duration, a \
                database with the CRM's tables, and truth.csv (file,message_id,defects). Switch on \
                the defects real stores have with --defects (a comma-separated list, or all): \
                \(Defect.allCases.map(\.rawValue).joined(separator: ", ")). The same seed gives the \
                same store. See docs/generator.md.
                """,
                examples: [
                    (
                        "A small store to try audiosync on",
                        "audiosync generate --out /tmp/store --messages 300 --files 90"
                    ),
                    ("With every defect real stores have", "audiosync generate --out /tmp/store --defects all"),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure])
        )

        @Option(
            help: ArgumentHelp("A new (or empty) folder for media/, messages.sqlite and truth.csv.", valueName: "dir"))
        var out: String

        @Option(help: "Chats in the store.")
        var chats = 40

        @Option(help: "Audio messages in the database.")
        var messages = 2_000

        @Option(help: "Files in the store (re-downloads and orphans included).")
        var files = 600

        @Option(help: "The seed: the same seed gives the same store.")
        var seed: UInt64 = 1

        @Option(
            help: ArgumentHelp("Defects to switch on: all, none, or a comma-separated list.", valueName: "list|all"))
        var defects = "none"

        @Flag(
            help: ArgumentHelp(
                "Draw a whole deployment from the seed instead of fixed defects; writes world.json.",
                discussion:
                    "Zones, clock skew, HASH8 naming (unknown derivations too), back-fills, transcodes (need ffmpeg), own-number folders, missing fields."
            )
        )
        var world = false

        @Option(
            name: .customLong("database"),
            help: ArgumentHelp(
                "Write the messages into this empty PostgreSQL database (postgres://…) instead of messages.sqlite.",
                valueName: "url"
            )
        )
        var postgresURL: String?

        @Flag(help: "With a PostgreSQL --database: conteudo as jsonb rather than text.")
        var jsonb = false

        @Flag(help: "Write the demo store instead (what make demo shows); needs lame for its MP3 notes.")
        var spec = false

        @OptionGroup(title: "Output") var output: OutputOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        func validate() throws {
            if let postgresURL, !postgresURL.hasPrefix("postgres://") && !postgresURL.hasPrefix("postgresql://") {
                throw ValidationError(
                    "--database takes a postgres:// URL; without it the messages go to messages.sqlite.")
            }
            if jsonb && postgresURL == nil { throw ValidationError("--jsonb goes with a PostgreSQL --database.") }
            if world && defects != "none" {
                throw ValidationError("--world draws its own defects; drop --defects, or drop --world.")
            }
            guard chats > 0, messages > 0, files >= 0 else {
                throw ValidationError("--chats and --messages must be positive, --files not negative.")
            }
            do {
                _ = try Defect.parse(defects)
            } catch {
                throw ValidationError("\(error)")
            }
        }

        func run() async throws {
            try await CommandContext.run("generate", general) { context in
                var options = GeneratorOptions(outputFolder: out)
                options.chats = chats
                options.messages = messages
                options.files = files
                options.seed = seed
                options.defects = try Defect.parse(defects)
                options.world = world
                options.postgresURL = postgresURL
                options.jsonbConteudo = jsonb
                let generator = StoreGenerator(options: options)
                let summary =
                    spec
                    ? try await generator.generateSpecDemo(progress: context.progress)
                    : try await generator.generate(progress: context.progress)
                try context.print(summary, as: output) { summary.text }
            }
        }
    }
}
