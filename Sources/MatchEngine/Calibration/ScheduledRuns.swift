/// Files a scheduled download run wrote: a job that fetches what the live downloader missed at the
/// same time every night names its files after its own clock, not the message's.
///
/// Live downloads follow sends, so a second of the day recurs on a few days by chance only. A run
/// started by a timer recurs on many: its first file carries the timer's second day after day. A
/// second of the day that recurs on more days than the same second of the other minutes around it
/// would give by chance (a Poisson tail, over every second of the day, below ``falseStarts``) is a
/// start; the run is the file at the start and those after it that follow each other within
/// ``runGap``. A timer whose first file lands a second or two later some nights is not found.
/// Such a file's time says only that its message came before it: "20 s after a message" is then
/// a coincidence, however rare the window.
enum ScheduledRuns {
    /// How many starts the search may find by chance in one instance's day, on average.
    static let falseStarts = 0.001
    /// The most seconds between two files of one run.
    static let runGap: Int64 = 60
    /// The minutes either side of a second of the day whose same second gives the chance rate there.
    static let rateMinutes: Int64 = 30
    static let day: Int64 = 86_400

    /// The paths of the files written by scheduled runs, and the runs' starts (seconds of the day
    /// on the name clock) with the days each was seen on.
    static func detect(_ partition: Partition, files: [AudioFile]) -> (paths: Set<String>, starts: [Int64: Int]) {
        var named: [(time: Int64, file: Int)] = []
        for file in partition.files where files[file].isUsableAudio {
            if let time = files[file].name.time?.secondsSinceEpoch { named.append((time, file)) }
        }
        guard named.count >= 3 else { return ([], [:]) }
        named.sort { $0.time != $1.time ? $0.time < $1.time : $0.file < $1.file }
        func secondOfDay(_ time: Int64) -> Int64 { ((time % day) + day) % day }
        func dayOf(_ time: Int64) -> Int64 { (time - secondOfDay(time)) / day }
        // Per second of the day: its files, and the distinct days they fall on (the files are in
        // time order, so a day is new when it is not the last one counted there).
        var perSecond = [Int](repeating: 0, count: Int(day))
        var days = [Int](repeating: 0, count: Int(day))
        var lastDay = [Int64](repeating: .min, count: Int(day))
        for entry in named {
            let second = Int(secondOfDay(entry.time))
            perSecond[second] += 1
            if lastDay[second] != dayOf(entry.time) {
                lastDay[second] = dayOf(entry.time)
                days[second] += 1
            }
        }
        // Files per second of the minute: a downloader that names files to the minute puts them
        // all on :00, and the chance rate of a second is that of the seconds like it.
        var perSecondOfMinute = [Int](repeating: 0, count: 60)
        for (second, count) in perSecond.enumerated() { perSecondOfMinute[second % 60] += count }
        var starts: [Int64: Int] = [:]
        for (index, seen) in days.enumerated() where seen >= 3 {
            let second = Int64(index)
            // The chance rate of this second: the files on the same second of other minutes
            // within half an hour either side (the span wraps midnight), this second's own left out.
            var around = 0
            for minute in -rateMinutes...rateMinutes where minute != 0 {
                around += perSecond[Int(((second + minute * 60) % day + day) % day)]
            }
            // Never below the day's mean for that second of the minute: an hour with no other
            // file is no proof of a timer.
            let rate = max(
                Double(around) / Double(2 * rateMinutes),
                Double(perSecondOfMinute[Int(second % 60)]) / Double(day / 60))
            if Double(day) * poissonTail(atLeast: seen, mean: rate) < falseStarts { starts[second] = seen }
        }
        // A run that takes as long every night makes its second file's second recur too: that is
        // the same run, not another start.
        for second in starts.keys.sorted(by: >) {
            if starts.keys.contains(where: { $0 < second && second - $0 <= runGap }) { starts[second] = nil }
        }
        guard !starts.isEmpty else { return ([], [:]) }
        var paths = Set<String>()
        var runEnd: Int64?
        for entry in named {
            let follows = runEnd.map { entry.time >= $0 && entry.time - $0 <= runGap } ?? false
            if starts[secondOfDay(entry.time)] != nil || follows {
                paths.insert(files[entry.file].path)
                runEnd = entry.time
            }
        }
        return (paths, starts)
    }

    /// A second of the day as `HH:MM:SS`.
    static func clockText(_ second: Int64) -> String {
        "\(pad(Int(second / 3_600))):\(pad(Int(second / 60 % 60))):\(pad(Int(second % 60)))"
    }

    /// P(X ≥ k) for X Poisson with the given mean, summed from k up (1 − P(X < k) would lose the
    /// small tails this is asked about to rounding).
    static func poissonTail(atLeast k: Int, mean: Double) -> Double {
        guard k > 0 else { return 1 }
        guard mean > 0 else { return 0 }
        // log P(X = k) = −mean + k log mean − log k!
        var logTerm = -mean
        for count in 1...k { logTerm += log(mean) - log(Double(count)) }
        var term = exp(logTerm)
        var tail = 0.0
        var count = k
        while term > tail * 1e-16 && count < k + 1_000 {
            tail += term
            count += 1
            term *= mean / Double(count)
        }
        return tail
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
