import Foundation
import StoreFixtures
import Testing

@testable import MessageStore

/// Timings at the scale of the synthetic store (1,000,000 messages). Run on demand, in release:
///
///     AUDIOSYNC_STORE_BENCH=1000000 swift test -c release -Xswiftc -enable-testing --filter StoreBenchmarks
///
/// The number of rows comes from the variable; the test prints rows per second and checks the targets
/// (bulk insert well under 30 s per million, loading at least 500k rows/s).
@Suite(.enabled(if: benchmarkRows > 0, "set AUDIOSYNC_STORE_BENCH=<rows> to run the store benchmarks"))
struct StoreBenchmarks {
    static let rows = benchmarkRows

    /// A gateway `conteudo` of realistic size (~750 bytes): url, keys, hashes, a waveform.
    static func conteudo(_ i: Int) -> String {
        let waveform = String(repeating: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g", count: 2)
        return
            #"{"audioMessage": {"url": "https://mmg.whatsapp.net/v/t62.7117-24/29387461_\#(i)_n.enc?ccb=11-4&oh=01_Q5AaIB&oe=68C1F0B5&_nc_sid=5e03e0&mms3=true", "#
            + #""mimetype": "audio/ogg; codecs=opus", "fileSha256": "n3vS0y2Q0bT4mV9X9mR1wq3v8mZq2oX3Jc4yQy7bXkQ=", "#
            + #""fileLength": "\#(10_000 + i % 90_000)", "seconds": \#(i % 120), "ptt": true, "#
            + #""mediaKey": "Jd7nq2D2n1Yt4mLr0c8r0r5S8pQy2bq3v7d2Q8rXk1E=", "#
            + #""fileEncSha256": "q8Jz4v3H0m2Qy9xW1pL5kT7rB6nC0dE2fG4hI6jK8lM=", "directPath": "/v/t62.7117-24/29387461_\#(i)_n.enc", "#
            + #""mediaKeyTimestamp": "1754910197", "waveform": "\#(waveform)"}, "#
            + #""messageTimestamp": \#(1_754_910_197 + i), "key": {"remoteJid": "5569992\#(i % 100_000)@s.whatsapp.net", "#
            + #""fromMe": false, "id": "3EB0\#(String(i, radix: 16, uppercase: true))"}}"#
    }

    @Test func insertThenLoad() async throws {
        try await TestDatabase.with(.sqlite, fixture: false) { db in
            if let kept = ProcessInfo.processInfo.environment["AUDIOSYNC_STORE_BENCH_LOAD_ONLY"] {
                // Profiling the load alone: a database made by an earlier run.
                let store = try await openMessageStore(location: kept, logger: TestDatabase.logger)
                let clock = ContinuousClock()
                var load: MessageLoad?
                let cpu = processCPUSeconds()
                let time = try await clock.measure { load = try await store.loadAudioMessages(scope: .all) }
                let cpuTime = processCPUSeconds() - cpu
                let rows = try #require(load).report.rowsRead
                print(
                    "StoreBenchmarks: loaded \(rows) rows in \(time.seconds) s wall = \(Int(Double(rows) / time.seconds)) rows/s, "
                        + "\(cpuTime) s CPU = \(Int(Double(rows) / cpuTime)) rows/s per core")
                try await store.close()
                // The JSON reader alone, over the same texts, to tell its share from SQLite's.
                var texts = (0..<200_000).map { Self.conteudo($0) }
                var interner = StringInterner()
                var fields = 0
                let parseCPU = processCPUSeconds()
                for index in texts.indices {
                    texts[index].withUTF8 { buffer in
                        if (try? ConteudoFields.read(buffer, wantsKeyID: false, mimetypes: &interner)) != nil {
                            fields += 1
                        }
                        _ = ContentFingerprint(bytes: UnsafeRawBufferPointer(buffer))
                    }
                }
                let parseTime = processCPUSeconds() - parseCPU
                print(
                    "StoreBenchmarks: read+fingerprint \(fields) conteudo texts in \(parseTime) s CPU = \(Int(Double(fields) / parseTime)) /s"
                )
                return
            }
            let writer = try await db.writer()
            try await writer.insert(clients: Fixture.clients)
            try await writer.insert(instances: Fixture.instances)
            try await writer.insert(
                chats: (1...2000).map {
                    SpecChat(
                        id: Int64($0), chatID: "55699\($0)", clientID: 1 + Int64($0 % 2),
                        instanceRowID: 10 + Int64($0 % 2))
                })
            let clock = ContinuousClock()
            var insertTime = Duration.zero
            var bytes = 0
            var next = 0
            while next < Self.rows {
                let count = min(100_000, Self.rows - next)
                let messages = (next..<next + count).map { i in
                    SpecMessage(
                        id: Int64(i + 1), chatRowID: Int64(1 + i % 2000), messageID: "3EB0\(i)",
                        kind: i % 5 == 0 ? "texto" : "audio",
                        conteudo: Self.conteudo(i),
                        dataEnvio: SpecMessage.dataEnvio(unixSeconds: 1_754_910_197 + Int64(i)))
                }
                bytes += messages.reduce(0) { $0 + ($1.conteudo?.utf8.count ?? 0) }
                insertTime += try await clock.measure { try await writer.insert(messages: messages) }
                next += count
            }
            try await writer.close()
            let store = try await db.open()
            var load: MessageLoad?
            let cpu = processCPUSeconds()
            let loadTime = try await clock.measure { load = try await store.loadAudioMessages(scope: .all) }
            let loadCPU = processCPUSeconds() - cpu
            let loaded = try #require(load).messages.count
            try await store.close()
            let insertRate = Double(Self.rows) / insertTime.seconds
            let loadRate = Double(try #require(load).report.rowsRead) / loadTime.seconds
            print(
                "StoreBenchmarks: inserted \(Self.rows) rows (\(bytes / Self.rows) B of conteudo each) in "
                    + "\(insertTime.seconds) s = \(Int(insertRate)) rows/s; loaded \(loaded) audio messages in "
                    + "\(loadTime.seconds) s = \(Int(loadRate)) rows/s (\(loadCPU) s CPU = "
                    + "\(Int(Double(try #require(load).report.rowsRead) / loadCPU)) rows/s per core)")
            #expect(loaded == Self.rows - Self.rows / 5)
            if let keep = ProcessInfo.processInfo.environment["AUDIOSYNC_STORE_BENCH_KEEP"] {
                try FileManager.default.copyItem(atPath: try #require(db.path), toPath: keep)
            }
        }
    }
}

/// CPU seconds this process has used, all threads: the load runs on one thread, so during it this
/// is that thread's time, whatever else the machine is doing.
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
        + Double(usage.ru_stime.tv_usec) / 1e6
}

let benchmarkRows = Int(ProcessInfo.processInfo.environment["AUDIOSYNC_STORE_BENCH"] ?? "") ?? 0

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
