/// A wall-clock time with no zone, as file names carry it (`20250811_110317`).
///
/// Stored as seconds since 1970-01-01 00:00:00 *of that wall clock*, so subtracting a
/// ``ClockOffset`` gives Unix seconds. Gregorian calendar arithmetic, no Foundation.
public struct LocalTime: Sendable, Hashable, Comparable, Codable {
    /// Seconds since 1970-01-01T00:00:00 on the same wall clock.
    public var secondsSinceEpoch: Int64

    public init(secondsSinceEpoch: Int64) {
        self.secondsSinceEpoch = secondsSinceEpoch
    }

    /// A time from its calendar fields; `nil` when a field is out of range.
    public init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        guard (1970...9999).contains(year), (1...12).contains(month),
            (1...LocalTime.daysIn(month: month, year: year)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
        else { return nil }
        let days = LocalTime.daysFromCivil(year: year, month: month, day: day)
        secondsSinceEpoch = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Parses `YYYYMMDD` and `HHMMSS` digit strings.
    public init?(compactDate date: some StringProtocol, time: some StringProtocol) {
        guard date.utf8.count == 8, time.utf8.count == 6,
            date.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), time.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 })
        else { return nil }
        let d = Array(date.utf8).map { Int($0) - 48 }
        let t = Array(time.utf8).map { Int($0) - 48 }
        self.init(
            year: d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3],
            month: d[4] * 10 + d[5],
            day: d[6] * 10 + d[7],
            hour: t[0] * 10 + t[1],
            minute: t[2] * 10 + t[3],
            second: t[4] * 10 + t[5]
        )
    }

    /// Parses `YYYY-MM-DD HH:MM:SS` (or with `T`), ignoring fractional seconds and a trailing `Z`.
    public init?(text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19 else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard bytes[i] >= 48 && bytes[i] <= 57 else { return nil }
                value = value * 10 + Int(bytes[i] - 48)
            }
            return value
        }
        guard bytes[4] == 45, bytes[7] == 45, bytes[10] == 32 || bytes[10] == 84, bytes[13] == 58, bytes[16] == 58,
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    public static func < (lhs: LocalTime, rhs: LocalTime) -> Bool {
        lhs.secondsSinceEpoch < rhs.secondsSinceEpoch
    }

    /// The calendar fields of this time.
    public var fields: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        let days = Int(secondsSinceEpoch.floorDivided(by: 86_400))
        let rest = Int(secondsSinceEpoch - Int64(days) * 86_400)
        let (y, m, d) = LocalTime.civilFromDays(days)
        return (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    /// The file-name form, `YYYYMMDD_HHMMSS` (`20250811_110317`).
    public var compactStamp: String {
        let f = fields
        return "\(pad(f.year, 4))\(pad(f.month))\(pad(f.day))_\(pad(f.hour))\(pad(f.minute))\(pad(f.second))"
    }

    /// ISO-8601 without a zone: `2025-08-11T11:03:17`.
    public var iso8601: String {
        let f = fields
        // Written digit by digit: a listing writes one per file, and the interpolation of six
        // padded strings cost more than the rest of the line. Years outside 0–9999 take the long way.
        guard (0...9999).contains(f.year) else {
            return "\(pad(f.year, 4))-\(pad(f.month))-\(pad(f.day))T\(pad(f.hour)):\(pad(f.minute)):\(pad(f.second))"
        }
        return String(unsafeUninitializedCapacity: 19) { bytes in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var value = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    bytes[position] = UInt8(48 + value % 10)
                    value /= 10
                }
            }
            put(f.year, 4, at: 0)
            put(f.month, 2, at: 5)
            put(f.day, 2, at: 8)
            put(f.hour, 2, at: 11)
            put(f.minute, 2, at: 14)
            put(f.second, 2, at: 17)
            // "-", "-", "T", ":", ":" between them.
            (bytes[4], bytes[7], bytes[10], bytes[13], bytes[16]) = (45, 45, 84, 58, 58)
            return 19
        }
    }

    /// The same wall-clock reading as a Unix time, as if the clock were UTC.
    public static func utc(unixSeconds: Int64) -> LocalTime {
        LocalTime(secondsSinceEpoch: unixSeconds)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// Zero-pads a non-negative number to `width` digits.
func pad(_ value: Int, _ width: Int = 2) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Int64 {
    /// Division rounding towards minus infinity (calendar days of times before 1970 too).
    public func floorDivided(by divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}

/// Formats a Unix time as ISO-8601 UTC (`2025-08-11T14:03:17Z`).
public func iso8601UTC(_ unixSeconds: Int64) -> String {
    LocalTime(secondsSinceEpoch: unixSeconds).iso8601 + "Z"
}

extension Duration {
    /// The duration in seconds, for reports and timings.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
