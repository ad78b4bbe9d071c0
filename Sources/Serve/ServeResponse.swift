import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Sync

/// The server's responses: JSON written by the reports' one encoder, HTML, and errors with a
/// machine-readable case beside a sentence.
enum ServeResponse {
    /// `value` as JSON (snake_case keys, sorted).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? ReportJSON.encoder().encode(value)) ?? Data(#"{"error":"encoding"}"#.utf8)
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An error document: `{"error": CASE, "message": SENTENCE}`.
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        json(ErrorBody(error: code, message: message), status: status)
    }

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // Nothing but our own files; the page is never framed.
                .contentSecurityPolicy:
                    "default-src 'self'; media-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
                .xContentTypeOptions: "nosniff",
            ],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, contentType: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: contentType, .cacheControl: "no-cache", .xContentTypeOptions: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    struct ErrorBody: Encodable {
        var error: String
        var message: String
    }
}
