import AudioProbe
import Testing

/// Durations of real encoders' files against the PCM the encoder read.
@Suite struct AccuracyTests {
    @Test(arguments: Fixture.all)
    func durationMatchesSource(_ fixture: Fixture) {
        let result = AudioFileProbe.probe(path: fixture.path)
        // The targets: Opus and Vorbis 0.02 s, MP3 and M4A 0.05 s. Raw ADTS records no
        // padding, so it is held to one AAC frame (1024 samples, 64 ms at 16 kHz).
        let tolerance =
            fixture.name.hasPrefix("opus") || fixture.name.hasPrefix("vorbis")
            ? 0.02 : fixture.name.hasPrefix("aac-adts") ? 1024.0 / Double(fixture.sourceRate) : 0.05
        let duration = try! #require(result.duration, "\(result)")
        #expect(abs(duration - fixture.sourceSeconds) <= tolerance, "\(result)")
        #expect(result.durationIsEstimate == false)
        #expect(result.damage == nil)
    }
}
