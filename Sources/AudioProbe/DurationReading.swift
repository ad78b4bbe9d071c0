/// A duration as one reader found it.
struct DurationReading {
    var seconds: Double
    var isEstimate = false
    var damage: ProbeDamage?
    var method: ProbeMethod
}
