public import Foundation
public import MatchEngine

extension ReportJSON {
    /// One array of a report that ``writePretty(_:streaming:blockSize:to:)`` writes a block of
    /// elements at a time instead of encoding it with the rest of the document.
    public struct StreamedArray<Root> {
        fileprivate let count: (Root) -> Int
        /// Leaves only the elements in the range in the root's array.
        fileprivate let keep: (inout Root, Range<Int>) -> Void
        /// The elements in the range, each as its own pretty document, in order; `nil` when one
        /// could not be encoded (the whole document is then left to the encoder, which says why).
        fileprivate let encode: (Root, Range<Int>) -> [[UInt8]]?

        public init<Element: Encodable & Sendable>(_ path: WritableKeyPath<Root, [Element]>) {
            self.init(path) { elements in
                let elements = Array(elements)
                let encoded: [[UInt8]?] = parallelMap(count: elements.count, minimumChunk: 256) { chunk in
                    let encoder = ReportJSON.encoder()
                    return chunk.map { try? Array(encoder.encode(elements[$0])) }
                }
                return encoded.contains { $0 == nil } ? nil : encoded.map { $0! }
            }
        }

        /// An array of values that write their own JSON (``MatchEngine/PrettyJSONWritable``): the
        /// encoder's bytes, written directly.
        public init<Element: Encodable & Sendable & PrettyJSONWritable>(_ path: WritableKeyPath<Root, [Element]>) {
            self.init(path) { elements in
                let start = elements.startIndex
                return parallelMap(count: elements.count, minimumChunk: 256) { chunk in
                    chunk.map { elements[start + $0].prettyJSON }
                }
            }
        }

        /// The array at `path`, its elements in a range written by `encodeEach`.
        private init<Element>(
            _ path: WritableKeyPath<Root, [Element]>, encodeEach: @escaping (ArraySlice<Element>) -> [[UInt8]]?
        ) {
            count = { $0[keyPath: path].count }
            keep = { root, range in root[keyPath: path] = Array(root[keyPath: path][range]) }
            encode = { root, range in encodeEach(root[keyPath: path][range]) }
        }
    }

    /// The arrays of a report that ``writePretty(_:streaming:blockSize:to:)`` writes a block at a
    /// time, and how to keep the figures the document derives from them (counts) when they are
    /// emptied: the splice needs a document that differs only inside the array.
    public struct Streaming<Root> {
        var arrays: [StreamedArray<Root>]
        var freeze: (Root) -> Root

        public init(_ arrays: [StreamedArray<Root>], freezingDerivedFigures freeze: @escaping (Root) -> Root = { $0 }) {
            self.arrays = arrays
            self.freeze = freeze
        }
    }

    /// Writes `value` exactly as ``encoder(_:)``'s pretty document, byte for byte, but writes the
    /// `streaming` arrays a block of elements at a time, encoded on every core, as it goes.
    ///
    /// `sync --json` of a million messages is a document of 2 GB, most of it the links'
    /// waterfalls; JSONEncoder held its whole tree and the whole document, and the run peaked at
    /// 9.5 GiB (2.2 GiB written this way). Here the rest of the document (the arrays left empty)
    /// comes from the encoder, and each array is spliced in where the encoder put it: found by
    /// encoding the document again with that array's first elements, and used only if splicing
    /// those elements by hand gives that very document. Otherwise the whole value goes through the
    /// encoder, as before.
    public static func writePretty<Root: Encodable>(
        _ value: Root, streaming: Streaming<Root>, blockSize: Int = 4_096, to write: (Data) -> Void
    ) throws {
        let encoder = encoder()
        let arrays = streaming.arrays
        let frozen = arrays.isEmpty ? value : streaming.freeze(value)
        func document(keeping kept: [Range<Int>]) throws -> [UInt8] {
            var copy = frozen
            for (array, range) in zip(arrays, kept) { array.keep(&copy, range) }
            return Array(try encoder.encode(copy))
        }
        let counts = arrays.map { $0.count(value) }
        let nothing = Array(repeating: 0..<0, count: arrays.count)
        let skeleton = try document(keeping: nothing)
        var splices: [(array: Int, place: Splice)] = []
        for index in arrays.indices where counts[index] > 0 {
            var kept = nothing
            kept[index] = 0..<min(2, counts[index])
            let sample = try document(keeping: kept)
            guard let place = Splice(in: skeleton, differingFrom: sample),
                let elements = arrays[index].encode(value, kept[index]),
                place.spliced(elements, into: skeleton) == sample
            else {
                write(try encoder.encode(value))
                return
            }
            splices.append((index, place))
        }
        splices.sort { $0.place.open < $1.place.open }
        var cursor = 0
        for (index, place) in splices {
            write(Data(skeleton[cursor..<place.open]))
            write(Data("[\n".utf8))
            for start in stride(from: 0, to: counts[index], by: blockSize) {
                let range = start..<min(counts[index], start + blockSize)
                guard let elements = arrays[index].encode(value, range) else {
                    throw EncodingError.invalidValue(
                        value, .init(codingPath: [], debugDescription: "an element of an array could not be encoded"))
                }
                var block: [UInt8] = []
                place.appendElements(elements, first: start == 0, to: &block)
                write(Data(block))
            }
            write(Data(place.closing))
            cursor = place.close + 1
        }
        write(Data(skeleton[cursor...]))
    }

    /// Where an empty array sits in a pretty document, and how its elements are laid out.
    struct Splice {
        /// The offsets of its `[` and its `]`.
        var open: Int
        var close: Int
        /// The spaces its elements' lines start with.
        var indent: Int

        /// The array of `skeleton` that `sample` (the same document with elements in that array)
        /// fills: after their common beginning, the last `[`, which must be closed by whitespace
        /// and a `]`.
        init?(in skeleton: [UInt8], differingFrom sample: [UInt8]) {
            var common = 0
            while common < skeleton.count, common < sample.count, skeleton[common] == sample[common] { common += 1 }
            guard let open = skeleton[..<common].lastIndex(of: UInt8(ascii: "[")),
                let close = skeleton[open...].firstIndex(of: UInt8(ascii: "]")),
                skeleton[(open + 1)..<close].allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") })
            else { return nil }
            let lineStart = (skeleton[..<open].lastIndex(of: UInt8(ascii: "\n"))).map { $0 + 1 } ?? 0
            var spaces = 0
            while skeleton[lineStart + spaces] == UInt8(ascii: " ") { spaces += 1 }
            self.open = open
            self.close = close
            indent = spaces + 2
        }

        /// The `]` on its own line, where the line of the `[` began.
        var closing: [UInt8] {
            Array("\n".utf8) + Array(repeating: UInt8(ascii: " "), count: indent - 2) + [UInt8(ascii: "]")]
        }

        /// `elements`, each a document of its own, with every line moved in to the array's
        /// elements and a comma between them (and before the first unless it is the array's first).
        func appendElements(_ elements: [[UInt8]], first: Bool, to out: inout [UInt8]) {
            let spaces = [UInt8](repeating: UInt8(ascii: " "), count: indent)
            for (offset, element) in elements.enumerated() {
                if offset > 0 || !first { out += ",\n".utf8 }
                // A JSON string holds no raw newline, so every newline ends a line of the layout;
                // the encoder leaves the empty line inside an empty array or object without spaces.
                // Copied a line at a time: a byte at a time, this loop was most of what the
                // writing thread did for a 2 GB document.
                var start = element.startIndex
                while start < element.endIndex {
                    let end = element[start...].firstIndex(of: UInt8(ascii: "\n")) ?? element.endIndex
                    if end > start {
                        out += spaces
                        out += element[start..<end]
                    }
                    if end < element.endIndex { out.append(UInt8(ascii: "\n")) }
                    start = end + 1
                }
            }
        }

        /// `skeleton` with these elements in the array.
        func spliced(_ elements: [[UInt8]], into skeleton: [UInt8]) -> [UInt8] {
            var out = Array(skeleton[..<open])
            out += "[\n".utf8
            appendElements(elements, first: true, to: &out)
            out += closing
            out += skeleton[(close + 1)...]
            return out
        }
    }
}
