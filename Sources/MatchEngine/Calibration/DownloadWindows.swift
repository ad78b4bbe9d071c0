/// Where a file's row must sit in insert order, from the files downloaded around it.
///
/// A downloader fetches a folder's files in the order their rows were inserted. So among a
/// folder's files in time order, a file's message was inserted after the message of the anchored
/// file before it and before that of the anchored file after it. Anchors whose own insert times
/// break the order (a re-download of an old note, a wrong anchor) are left out.
enum DownloadWindows {
    /// Per file path: the span of insert times its message's row must fall in (one-sided at the
    /// ends of a folder). Files with no anchored neighbour get none.
    static func compute(
        _ partition: Partition, anchors: [Calibrator.Anchor], index: CandidateIndex, files: [AudioFile],
        messages: [AudioMessage]
    ) -> [String: ClosedRange<Int64>] {
        var anchorOf: [Int: Int] = [:]
        for anchor in anchors
        where ChatRelation(file: files[anchor.file], message: messages[anchor.message]).isSameConversation {
            anchorOf[anchor.file] = anchor.message
        }
        guard !anchorOf.isEmpty else { return [:] }
        var folders: [Substring: [(time: Int64, file: Int)]] = [:]
        for file in partition.files where files[file].isUsableAudio {
            guard let time = index.fileTime(files[file]), time.slack == 0 else { continue }
            let path = files[file].path
            folders[path[..<(path.lastIndex(of: "/") ?? path.startIndex)], default: []].append((time.time, file))
        }
        var windows: [String: ClosedRange<Int64>] = [:]
        for (_, members) in folders {
            let ordered = members.sorted {
                $0.time != $1.time ? $0.time < $1.time : files[$0.file].path < files[$1.file].path
            }
            // The anchors in time order, with their rows' insert times; the longest run of them
            // whose insert times never go back is the folder's order (an old note fetched again,
            // or a wrong anchor, falls out of it).
            let sequence = ordered.compactMap { entry in
                anchorOf[entry.file].map { (position: entry.time, file: entry.file, insert: messages[$0].insertTime) }
            }
            let consistent = longestOrderedRun(sequence.map(\.insert)).map { sequence[$0] }
            guard !consistent.isEmpty else { continue }
            var cursor = 0
            for entry in ordered {
                // The consistent anchors strictly before and after this file, itself excluded.
                while cursor < consistent.count && consistent[cursor].position < entry.time { cursor += 1 }
                var before = cursor - 1
                var after = cursor
                while after < consistent.count && consistent[after].file == entry.file { after += 1 }
                while before >= 0 && consistent[before].file == entry.file { before -= 1 }
                let low = before >= 0 ? consistent[before].insert : Int64.min
                let high = after < consistent.count ? consistent[after].insert : Int64.max
                guard low != Int64.min || high != Int64.max, low <= high else { continue }
                windows[files[entry.file].path] = low...high
            }
        }
        return windows
    }

    /// The indices of a longest non-decreasing subsequence of `values` (patience sorting,
    /// O(n log n)), in order.
    static func longestOrderedRun(_ values: [Int64]) -> [Int] {
        var tails: [Int] = []  // tails[k]: index of the smallest last value of a run of length k + 1
        var previous = [Int](repeating: -1, count: values.count)
        for index in values.indices {
            // The first run whose last value is greater than this one: ties extend runs.
            var low = 0
            var high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if values[tails[mid]] <= values[index] { low = mid + 1 } else { high = mid }
            }
            if low > 0 { previous[index] = tails[low - 1] }
            if low == tails.count { tails.append(index) } else { tails[low] = index }
        }
        var run: [Int] = []
        var cursor = tails.last ?? -1
        while cursor >= 0 {
            run.append(cursor)
            cursor = previous[cursor]
        }
        return run.reversed()
    }
}
