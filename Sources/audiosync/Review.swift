import ArgumentParser
import MatchEngine
import Sync

extension AudioSync {
    /// `audiosync review list|accept|reject`: the review page's actions from a terminal.
    struct Review: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Settle the close calls of a sync from a terminal: list them, accept or reject a pair.",
            discussion: """
                Each subcommand makes a fresh dry plan (as `sync --dry-run` would, rejections \
                respected) and acts on its review items: the files the plan sends to review, and the \
                existing links the evidence contradicts. `audiosync serve` shows the same items in a \
                browser, with players for the notes.

                  audiosync review list   --media-root /srv/media --database crm.sqlite3
                  audiosync review accept --media-root /srv/media --database crm.sqlite3 FILE MESSAGE
                  audiosync review reject --media-root /srv/media --database crm.sqlite3 FILE MESSAGE
                """,
            subcommands: [List.self, Accept.self, Reject.self]
        )
    }
}

/// What every review subcommand takes: the store, the scope, the profile, the cache, the output.
struct ReviewOptions: ParsableArguments {
    @OptionGroup(title: "Store") var store: StoreOptions
    @OptionGroup(title: "Scope") var scope: ScopeOptions
    @OptionGroup(title: "Matching") var profile: ProfileOptions
    @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
    @OptionGroup(title: "Output") var output: OutputOptions

    @Option(
        name: .customLong("url-template"),
        help: ArgumentHelp("The localUrl an accepted link gets; {id} is core_mensagem.id.", valueName: "template")
    )
    var urlTemplate = MatchPlan.defaultURLTemplate

    func validate() throws {
        guard urlTemplate.contains("{id}") else {
            throw ValidationError("--url-template must contain {id}, for the message's row id.")
        }
    }

    /// A session over a fresh dry plan.
    func session(context: CommandContext) async throws -> ReviewSession {
        let session = ReviewSession(
            database: store.databaseOptions.location(scope: scope), media: store.media.location(cache: cache),
            profile: try profile.load(), urlTemplate: urlTemplate, source: "review command", logger: context.logger)
        do {
            try await session.refresh(progress: context.progress)
        } catch {
            try? await session.close()
            throw error
        }
        return session
    }
}

/// FILE and MESSAGE of `accept` and `reject`.
struct PairArguments: ParsableArguments {
    @Argument(
        help: ArgumentHelp("The file, relative to the media root (as `review list` shows it).", valueName: "file"))
    var file: String

    @Argument(help: ArgumentHelp("The message (core_mensagem.id).", valueName: "message"))
    var message: Int64
}

extension AudioSync.Review {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the files a dry plan sends to review, with their candidates.",
            discussion: """
                Reads only: the plan is made as `sync --dry-run` would make it, and nothing is \
                written. With --json, each candidate carries its waterfall (docs/json-output.md).

                Examples:
                  audiosync review list --media-root /srv/media --database crm.sqlite3
                  audiosync review list --media-root /srv/media --database crm.sqlite3 --client 7 --json \\
                      | jq -r '.items[] | .file.path'
                """
        )

        @OptionGroup var options: ReviewOptions

        @Option(help: ArgumentHelp("Items listed (all of them by default).", valueName: "n"))
        var limit: Int?

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit takes a count of 0 or more.") }
        }

        func run() async throws {
            try await CommandContext.run("review list") { context in
                let session = try await options.session(context: context)
                let page = await session.page(offset: 0, limit: limit ?? Int.max)
                try await session.close()
                let list = ReviewList(
                    mediaRoot: options.store.mediaRoot, database: session.database.database,
                    profile: session.profile.source, page: page)
                try context.print(list, as: options.output) { list.text }
            }
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Link FILE to MESSAGE: a pair the latest plan sends to review.",
            discussion: """
                The message gets the file (replacing the one it held, if any) and any other message \
                holding the file lets it go, compare-and-swap, journalled under a run of its own: \
                `audiosync undo RUN` gives it back. A pair that is not under review is refused. \
                Exit status 1 when a row changed since the plan read it (nothing written for it).

                Examples:
                  audiosync review accept --media-root /srv/media --database crm.sqlite3 \\
                      Ana_Souza/instance_3B6XIW/chats/556999267344/audio/msg_A1B2C3D4_20240502_140311.ogg 48213
                  audiosync undo --database crm.sqlite3 RUN      # RUN as the accept printed it
                """
        )

        @OptionGroup var options: ReviewOptions
        @OptionGroup var pair: PairArguments

        func run() async throws {
            try await CommandContext.run("review accept") { context in
                let session = try await options.session(context: context)
                let decision: ReviewDecision
                do {
                    decision = try await session.accept(
                        file: normalisedLocalPath(pair.file), messageRowID: pair.message)
                    try await session.close()
                } catch {
                    try? await session.close()
                    throw error
                }
                try context.print(decision, as: options.output) { decision.text }
                if !decision.skipped.isEmpty {
                    throw CommandFailure("the row changed since it was read; run the command again")
                }
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Never propose FILE for MESSAGE again.",
            discussion: """
                Remembered in the database's audiosync_rejection table, which every later sync and \
                review respects. When the message holds the file now (a contradicted link), the link \
                is removed too, journalled (undo gives it back; the rejection stays).

                Example:
                  audiosync review reject --media-root /srv/media --database crm.sqlite3 --json \\
                      Ana_Souza/instance_3B6XIW/chats/556999267344/audio/msg_A1B2C3D4_20240502_140311.ogg 48213
                """
        )

        @OptionGroup var options: ReviewOptions
        @OptionGroup var pair: PairArguments

        func run() async throws {
            try await CommandContext.run("review reject") { context in
                let session = try await options.session(context: context)
                let decision: ReviewDecision
                do {
                    decision = try await session.reject(
                        file: normalisedLocalPath(pair.file), messageRowID: pair.message)
                    try await session.close()
                } catch {
                    try? await session.close()
                    throw error
                }
                try context.print(decision, as: options.output) { decision.text }
            }
        }
    }
}
