import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// Serves one resolved file of the media store with Hummingbird's `FileMiddleware`: Range and
/// If-Range, ETag and Last-Modified with If-None-Match and If-Modified-Since, HEAD. A voice note's
/// body is the bytes the locator read when it sniffed the file; a large file streams in 128 KiB
/// chunks (memory does not grow with the file). What this adds around it: the
/// Range header made one form the middleware reads right (``ByteRange``), 416 for a range past the
/// end, and the Content-Type from the file's bytes.
struct AudioFileResponder: Sendable {
    let fileIO: FileIO

    init(threadPool: NIOThreadPool = .singleton) {
        fileIO = FileIO(threadPool: threadPool)
    }

    func respond(_ found: AudioLocator.Found, to request: Request, context: ServeContext) async throws -> Response {
        let file = found.file
        var head = request.head
        var unsatisfiable = false
        if let header = head.headerFields[.range] {
            let range = ByteRange(header: header, size: file.size)
            head.headerFields[.range] = range.headerValue
            unsatisfiable = range == .unsatisfiable
        }
        let middleware = FileMiddleware<ServeContext, OneFileProvider>(
            fileProvider: OneFileProvider(file: file, contents: found.contents, fileIO: fileIO))
        var response = try await middleware.handle(Request(head: head, body: request.body), context: context) { _, _ in
            throw HTTPError(.notFound)
        }
        if unsatisfiable && response.status == .ok {
            // RFC 9110 §13.1.5: an If-Range that does not match the file asks for it whole, and gets it.
            let ifRange = request.headers[.ifRange]
            if ifRange == nil || ifRange == response.headers[.eTag] || ifRange == response.headers[.lastModified] {
                var headers = HTTPFields()
                headers[.contentRange] = "bytes */\(file.size)"
                headers[.acceptRanges] = "bytes"
                headers[.eTag] = response.headers[.eTag]
                headers[.lastModified] = response.headers[.lastModified]
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
        }
        response.headers[.contentType] = found.mediaType
        response.headers[.xContentTypeOptions] = "nosniff"
        // Revalidate every time: the ETag answers a browser that asks again in one round trip, and a
        // file relinked or rewritten is never played stale.
        response.headers[.cacheControl] = "private, no-cache"
        return response
    }
}

/// A `FileProvider` of the one file a request resolved to: whatever path the middleware asks
/// about, the answer is that file, so nothing of the URL ever names a file on disk.
struct OneFileProvider: FileProvider {
    struct FileAttributes: FileMiddlewareFileAttributes, Sendable {
        var isFolder: Bool { false }
        var size: Int
        var modificationDate: Date
    }

    let file: MediaRoot.Resolved
    /// The whole file, read when it was sniffed; `nil` for a large file, which streams.
    let contents: ByteBuffer?
    let fileIO: FileIO

    func getFileIdentifier(_ path: String) -> MediaRoot.Resolved? { file }

    func getAttributes(id: MediaRoot.Resolved) async throws -> FileAttributes? {
        // The time to the file system's fraction of a second: the ETag (made of time and size)
        // changes when a file is rewritten within the same second.
        FileAttributes(size: Int(id.size), modificationDate: Date(timeIntervalSince1970: id.modificationTime))
    }

    func loadFile(id: MediaRoot.Resolved, context: some RequestContext) async throws -> ResponseBody {
        if let contents { return ResponseBody(byteBuffer: contents) }
        return try await fileIO.loadFile(path: id.absolutePath, context: context)
    }

    func loadFile(id: MediaRoot.Resolved, range: ClosedRange<Int>, context: some RequestContext) async throws
        -> ResponseBody
    {
        if let contents {
            let range = range.clamped(to: 0...max(0, contents.readableBytes - 1))
            if let slice = contents.getSlice(at: range.lowerBound, length: range.count) {
                return ResponseBody(byteBuffer: slice)
            }
        }
        return try await fileIO.loadFile(path: id.absolutePath, range: range, context: context)
    }
}
