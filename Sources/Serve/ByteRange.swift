/// A `Range` request header read against the size of the file it asks about (RFC 9110 §14.1–14.2).
///
/// Hummingbird's `FileMiddleware` (2.28.1) serves the Range it is handed, but reads a suffix range
/// (`bytes=-500`, the last 500 bytes) as `0-500`, and answers a range that starts past the end with
/// a broken 206 instead of 416. So the request's header is first rewritten here into the one form
/// it reads right — `bytes=FIRST-` or `bytes=FIRST-LAST`, inside the file — or removed, and the
/// middleware does the rest (ETag, If-Range, If-None-Match, If-Modified-Since, streaming).
enum ByteRange: Equatable {
    /// One satisfiable range, rewritten as `bytes=FIRST-LAST` with both ends inside the file.
    case single(first: Int64, last: Int64)
    /// No range applies: a multi-range request (which a server may answer whole), another unit, or a
    /// malformed header (which RFC 9110 says to ignore).
    case ignore
    /// A well-formed range that selects no byte of the file: 416 unless If-Range sends it whole.
    case unsatisfiable

    init(header: String, size: Int64) {
        let trimmed = header.trimmingWhitespace
        guard let equals = trimmed.firstIndex(of: "="),
            trimmed[..<equals].trimmingWhitespace.lowercased() == "bytes"
        else {
            self = .ignore
            return
        }
        let set = trimmed[trimmed.index(after: equals)...]
        guard !set.contains(","), let dash = set.firstIndex(of: "-") else {
            self = .ignore
            return
        }
        let firstText = set[..<dash].trimmingWhitespace
        let lastText = set[set.index(after: dash)...].trimmingWhitespace
        guard firstText.allSatisfy(\.isASCIIDigit), lastText.allSatisfy(\.isASCIIDigit),
            !(firstText.isEmpty && lastText.isEmpty)
        else {
            self = .ignore
            return
        }
        if firstText.isEmpty {
            // A suffix: the last N bytes (all of them when N is larger than the file).
            let length = Int64(lastText) ?? .max
            guard length > 0, size > 0 else {
                self = .unsatisfiable
                return
            }
            self = .single(first: max(0, size - length), last: size - 1)
            return
        }
        guard let first = Int64(firstText) else {
            self = .unsatisfiable  // more digits than any file has bytes
            return
        }
        let last = lastText.isEmpty ? Int64.max : (Int64(lastText) ?? .max)
        guard first <= last else {
            self = .ignore  // `bytes=5-2` is invalid, not unsatisfiable
            return
        }
        guard first < size else {
            self = .unsatisfiable
            return
        }
        self = .single(first: first, last: min(last, size - 1))
    }

    /// The header `FileMiddleware` is given for a satisfiable range.
    var headerValue: String? {
        if case let .single(first, last) = self { return "bytes=\(first)-\(last)" }
        return nil
    }
}

extension StringProtocol {
    fileprivate var trimmingWhitespace: Substring {
        let view = Substring(self)
        let start = view.firstIndex { $0 != " " && $0 != "\t" } ?? view.endIndex
        let end = view.lastIndex { $0 != " " && $0 != "\t" }.map(view.index(after:)) ?? start
        return view[start..<Swift.max(start, end)]
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
