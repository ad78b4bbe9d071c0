import HTTPTypes
import Hummingbird
import NIOCore

/// Hummingbird's CORS middleware, for the audio endpoint only: the CRM's front end, on another
/// origin, may fetch a note; the review API stays same-origin. Preflight requests are answered here,
/// before the access check (a browser sends them without credentials).
struct AudioCORSMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let cors: CORSMiddleware<ServeContext>

    init(origin: String) {
        cors = CORSMiddleware(
            allowOrigin: origin == "*" ? .all : .custom(origin),
            allowHeaders: [.accept, .authorization, .range, .ifRange, .ifNoneMatch, .ifModifiedSince],
            allowMethods: [.get, .head, .options],
            allowCredentials: origin != "*",
            exposedHeaders: ["Content-Range", "Content-Length", "Accept-Ranges", "ETag", "Last-Modified"],
            maxAge: .seconds(600))
    }

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response)
        async throws -> Response
    {
        guard request.uri.path.hasPrefix("/api/audio/") else { return try await next(request, context) }
        return try await cors.handle(request, context: context, next: next)
    }
}
