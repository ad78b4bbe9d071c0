import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MessageStore
import NIOCore
import Sync

/// The routes: the CRM's audio endpoint, the review page and its API, and the login.
struct ServeRoutes: Sendable {
    let configuration: ServeConfiguration
    let root: MediaRoot
    let lookups: LookupConnections
    let session: ReviewSession
    let firstPlan: Task<ReviewCounts, any Error>
    let sessions: SessionStore
    let loopbackCSRF: String
    let logger: Logger
    let files = AudioFileResponder()

    var locator: AudioLocator { AudioLocator(root: root, scope: configuration.database.messageScope) }

    static let audioPath: RouterPath = "/api/audio/hash-mapping/:id/"

    func router() -> Router<ServeContext> {
        let router = Router(context: ServeContext.self)
        if let origin = configuration.corsOrigin {
            // CORS for the audio endpoint only (the CRM's front end lives on another origin); the
            // review API is never readable from another origin.
            router.add(middleware: AudioCORSMiddleware(origin: origin))
        }
        let listen = configuration.listen
        router.add(
            middleware: AccessMiddleware(
                token: configuration.token, sessions: sessions, loopbackCSRF: loopbackCSRF,
                allowedHosts: Self.loopbackHosts(listen.host)))

        router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/review"]) }
        router.get("/login") { _, _ in ServeResponse.html(ReviewAssets.loginPage(error: nil)) }
        router.post("/login") { request, context in try await login(request, context) }
        router.post("/logout") { request, _ in logout(request) }

        router.get("/review") { _, context in ServeResponse.html(ReviewAssets.page(csrf: context.grant.csrf ?? "")) }
        router.get("/review/app.js") { _, _ in ServeResponse.asset(ReviewAssets.script, contentType: "text/javascript")
        }
        router.get("/review/app.css") { _, _ in ServeResponse.asset(ReviewAssets.style, contentType: "text/css") }

        router.get("/api/review/items") { request, _ in try await items(request) }
        router.post("/api/review/refresh") { _, _ in try await refresh() }
        router.post("/api/review/accept") { request, context in try await decide(.accept, request, context) }
        router.post("/api/review/reject") { request, context in try await decide(.reject, request, context) }
        router.post("/api/review/skip") { request, context in try await decide(.skip, request, context) }
        router.get("/api/review/file") { request, context in try await reviewFile(request, context) }
        router.head("/api/review/file") { request, context in try await reviewFile(request, context) }

        router.get(Self.audioPath) { request, context in try await audio(request, context) }
        router.head(Self.audioPath) { request, context in try await audio(request, context) }
        // Answered by the CORS middleware when it is on; a route must exist for it to run.
        router.on(Self.audioPath, method: .options, use: { _, _ in Response(status: .noContent) })
        return router
    }

    /// The host names a loopback server without a token answers to (any port: what matters is that
    /// no other domain name, which a web page could make resolve to 127.0.0.1, reaches it).
    static func loopbackHosts(_ host: String) -> Set<String> {
        Set(["127.0.0.1", "localhost", "[::1]", host.contains(":") ? "[\(host)]" : host].map { $0.lowercased() })
    }

    // MARK: The audio endpoint

    /// `GET|HEAD /api/audio/hash-mapping/{id}/`: the file the message's `localPath` names.
    func audio(_ request: Request, _ context: ServeContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        switch try await locator.locate(messageID: id, in: lookups.store) {
        case .failure(let miss):
            return ServeResponse.error(miss == .badID ? .badRequest : .notFound, miss.rawValue, miss.message)
        case .success(let found):
            return try await files.respond(found, to: request, context: context)
        }
    }

    /// `GET|HEAD /api/review/file?path=…`: a file the review page plays — a review item's, or one a
    /// candidate message holds — and no other.
    func reviewFile(_ request: Request, _ context: ServeContext) async throws -> Response {
        guard let path = request.uri.queryParameters["path"].map(String.init), !path.isEmpty else {
            return ServeResponse.error(.badRequest, "bad_path", "give the file as ?path=RELATIVE/PATH")
        }
        _ = try? await firstPlan.value
        guard await session.playableFile(path) != nil else {
            return ServeResponse.error(
                .notFound, "not_under_review", "no review item of the latest plan plays this file")
        }
        switch locator.locate(path: path) {
        case .failure(let miss): return ServeResponse.error(.notFound, miss.rawValue, miss.message)
        case .success(let found):
            return try await files.respond(found, to: request, context: context)
        }
    }

    // MARK: The review API

    /// `GET /api/review/items?offset=0&limit=50&state=open,skipped`: waits for the first plan.
    func items(_ request: Request) async throws -> Response {
        do {
            _ = try await firstPlan.value
        } catch {
            return ServeResponse.error(.serviceUnavailable, "no_plan", "the review plan could not be made: \(error)")
        }
        let query = request.uri.queryParameters
        let offset = query["offset"].flatMap { Int($0) } ?? 0
        let limit = min(500, query["limit"].flatMap { Int($0) } ?? 50)
        var states: Set<ReviewItem.State>?
        if let text = query["state"], !text.isEmpty {
            let names = text.split(separator: ",").map(String.init)
            let parsed = names.compactMap(ReviewItem.State.init(rawValue:))
            guard parsed.count == names.count else {
                return ServeResponse.error(
                    .badRequest, "bad_state",
                    "state is a list of: " + ReviewItem.State.allCases.map(\.rawValue).joined(separator: ", "))
            }
            states = Set(parsed)
        }
        return ServeResponse.json(await session.page(offset: offset, limit: limit, states: states))
    }

    /// `POST /api/review/refresh`: makes the plan again (ending the session's run).
    func refresh() async throws -> Response {
        _ = try? await firstPlan.value
        do {
            return ServeResponse.json(try await session.refresh())
        } catch {
            return ServeResponse.error(.serviceUnavailable, "no_plan", "the review plan could not be made: \(error)")
        }
    }

    struct DecisionRequest: Decodable {
        var file: String
        var messageID: Int64?

        enum CodingKeys: String, CodingKey {
            case file
            case messageID = "message_id"
        }
    }

    /// `POST /api/review/accept|reject|skip` with `{"file": …, "message_id": …}`.
    func decide(_ action: ReviewDecision.Action, _ request: Request, _ context: ServeContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        guard let decision = try? JSONDecoder().decode(DecisionRequest.self, from: Data(body.readableBytesView)),
            action == .skip || decision.messageID != nil
        else {
            return ServeResponse.error(
                .badRequest, "bad_request", #"send {"file": "PATH", "message_id": ID} as JSON"#)
        }
        _ = try? await firstPlan.value
        do {
            let outcome: ReviewDecision
            switch action {
            case .accept: outcome = try await session.accept(file: decision.file, messageRowID: decision.messageID!)
            case .reject: outcome = try await session.reject(file: decision.file, messageRowID: decision.messageID!)
            case .skip: outcome = try await session.skip(file: decision.file)
            }
            return ServeResponse.json(outcome)
        } catch let error as ReviewError {
            let status: HTTPResponse.Status
            switch error {
            case .notUnderReview: status = .notFound
            case .noPlan: status = .serviceUnavailable
            case .alreadyDecided, .stale, .alreadyLinked: status = .conflict
            }
            return ServeResponse.error(status, error.code, error.description)
        }
    }

    // MARK: Login

    /// `POST /login` with the token (a form field or JSON `{"token": …}`): sets the session cookie.
    func login(_ request: Request, _ context: ServeContext) async throws -> Response {
        guard let token = configuration.token else {
            return Response(status: .seeOther, headers: [.location: "/review"])
        }
        var request = request
        let body = String(buffer: try await request.collectBody(upTo: context.maxUploadSize))
        let typed =
            Self.formValue("token", in: body)
            ?? (try? JSONDecoder().decode([String: String].self, from: Data(body.utf8)))?["token"] ?? ""
        guard token.matches(typed) else {
            logger.warning("failed login")
            return ServeResponse.html(ReviewAssets.loginPage(error: "That is not the token."), status: .unauthorized)
        }
        let (id, _) = sessions.start()
        var cookie = "\(AccessMiddleware.cookieName)=\(id); Path=/; HttpOnly; SameSite=Strict"
        // Behind a TLS-terminating proxy the browser sees https: keep the cookie off plain http.
        if request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" { cookie += "; Secure" }
        return Response(status: .seeOther, headers: [.location: "/review", .setCookie: cookie])
    }

    func logout(_ request: Request) -> Response {
        if let id = AccessMiddleware.cookie(AccessMiddleware.cookieName, in: request) { sessions.end(id) }
        return Response(
            status: .seeOther,
            headers: [
                .location: "/login",
                .setCookie: "\(AccessMiddleware.cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0",
            ])
    }

    /// A field of an `application/x-www-form-urlencoded` body.
    static func formValue(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.first == Substring(name) {
                let raw = parts.count > 1 ? String(parts[1]) : ""
                return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
        }
        return nil
    }
}

extension ReviewError {
    /// The case a JSON error names.
    var code: String {
        switch self {
        case .notUnderReview: "not_under_review"
        case .alreadyDecided: "already_decided"
        case .stale: "stale"
        case .alreadyLinked: "already_linked"
        case .noPlan: "no_plan"
        }
    }
}
