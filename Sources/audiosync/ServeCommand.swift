import ArgumentParser
import MatchEngine
import Serve
import Sync

extension AudioSync {
    /// `audiosync serve`. Named `ServeCommand`, not `Serve`, so it does not shadow the `Serve` module.
    struct ServeCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve the notes (the CRM's /api/audio/hash-mapping/{id}/) and the review page.",
            discussion: CommandHelp.discussion(
                """
                GET|HEAD /api/audio/hash-mapping/{id}/ sends exactly the file the message's localPath \
                names (inside the media root, never a guessed one), with byte ranges, ETag and \
                conditional requests, and a Content-Type from the file's bytes. A message with no \
                link, a missing file or a row that is not audio is a 404 whose JSON says which.

                /review lists the close calls of a dry plan made on start (and again on "Refresh \
                plan"), with players: Accept links (compare-and-swap, one journalled run per \
                session: `audiosync undo RUN`), Reject is remembered and respected by later syncs.

                Access: the default address is loopback only. Any other address needs --token-file; \
                clients then send `Authorization: Bearer TOKEN`, or log in once at /login (an \
                HttpOnly cookie). POSTs from the page carry a CSRF token. --client limits every \
                page and file to one client.

                Behind the CRM's reverse proxy (nginx), keep audiosync on loopback and send the \
                CRM's audio route to it:
                  location /api/audio/hash-mapping/ { proxy_pass http://127.0.0.1:8750; }
                  location /review { proxy_pass http://127.0.0.1:8750; }   # only for staff
                (README.md, "Serving the notes", has the whole block.) Stop with Ctrl-C or SIGTERM: \
                the session's run is finished before the process exits.

                """,
                examples: [
                    ("The review page on http://127.0.0.1:8750/review", "audiosync serve"),
                    (
                        "On every address, with a token, one client",
                        "audiosync serve --listen 0.0.0.0:8750 --token-file /etc/audiosync/token --client 12"
                    ),
                ],
                exitCodes: [.success, .runtimeFailure, .validationFailure, .configuration])
        )

        @OptionGroup(title: "Store") var store: StoreOptions
        @OptionGroup(title: "Scope") var scope: ScopeOptions
        @OptionGroup(title: "Matching") var profile: ProfileOptions
        @OptionGroup(title: "Probe cache") var cache: ProbeCacheOptions
        @OptionGroup(title: "General") var general: GeneralOptions

        @Option(help: ArgumentHelp("Where to listen: HOST:PORT or [V6]:PORT.", valueName: "host:port"))
        var listen = "127.0.0.1:8750"

        @Option(
            name: .customLong("token-file"),
            help: ArgumentHelp("A file whose first line is the access token (16+ characters).", valueName: "file"))
        var tokenFile: String?

        @Option(
            name: .customLong("cors-origin"),
            help: ArgumentHelp(
                "The origin allowed to fetch the audio endpoint from scripts, or *.", valueName: "origin"))
        var corsOrigin: String?

        @OptionGroup var urlTemplate: URLTemplateOptions

        func validate() throws {
            do {
                let address = try ListenAddress(parsing: listen)
                if !address.isLoopback && tokenFile == nil {
                    throw ValidationError(ServeError.tokenRequired(host: address.host).description)
                }
            } catch let error as ServeError {
                throw ValidationError(error.description)
            }
        }

        func run() async throws {
            try await CommandContext.run("serve", general) { context in
                let settings = try context.settings(
                    Settings.Flags(store: store, scope: scope, profile: profile, urlTemplate: urlTemplate.urlTemplate))
                let configuration = ServeConfiguration(
                    listen: try ListenAddress(parsing: listen),
                    database: try settings.database(),
                    media: try settings.media(cache: cache),
                    profile: try settings.profile(),
                    token: try tokenFile.map(AccessToken.init(file:)),
                    corsOrigin: corsOrigin,
                    urlTemplate: try settings.required(.urlTemplate))
                let server = try ReviewServer(configuration: configuration, logger: context.logger)
                try await server.run(
                    handleSignals: true,
                    onListening: { address in
                        Terminal.error("audiosync serve: listening on http://\(address)/ (review page: /review)")
                    },
                    onPlanned: { result in
                        switch result {
                        case .success(let counts):
                            Terminal.error("audiosync serve: review plan ready, \(counts.total) file(s) to settle")
                        case .failure(let error):
                            Terminal.error("audiosync serve: the review plan could not be made: \(error)")
                        }
                    })
            }
        }
    }
}
