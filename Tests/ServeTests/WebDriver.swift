import AsyncHTTPClient
import Dispatch
import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// Headless Chromium driven through W3C WebDriver (Debian's `chromium` and `chromium-driver`): a
/// real browser, with no sleeps — every wait is an asynchronous script that resolves on an event or
/// a DOM change, bounded by the session's script timeout.
final class WebDriver: @unchecked Sendable {
    // `@unchecked`: the process handle is only touched by start and quit, which the test calls in order.
    private let process: Process
    let base: String
    private(set) var session = ""

    static let chromium = "/usr/bin/chromium"
    static let driver = "/usr/bin/chromedriver"

    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: chromium) && FileManager.default.isExecutableFile(atPath: driver)
    }

    /// Starts chromedriver on a port it chooses and reads the port from the line it prints when it is
    /// ready, then opens a headless browser session.
    init() async throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.driver)
        process.arguments = ["--port=0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The line chromedriver prints once it listens says where: read up to it, then keep the
        // pipe drained so that its later logs never block it.
        let reader = output.fileHandleForReading
        var port: Int?
        var text = ""
        while port == nil {
            let data = reader.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let range = text.range(of: "started successfully on port ") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if text[range.upperBound...].dropFirst(digits.count).first != nil { port = Int(digits) }
            }
        }
        DispatchQueue.global().async { while !reader.availableData.isEmpty {} }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw WebDriverError("chromedriver did not say where it listens: \(text)")
        }
        base = "http://127.0.0.1:\(port)"
        let created = try await send(
            "POST", "/session",
            [
                "capabilities": [
                    "alwaysMatch": [
                        "browserName": "chrome",
                        "goog:chromeOptions": [
                            "binary": Self.chromium,
                            "args": [
                                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--window-size=1280,1000", "--mute-audio", "--no-first-run",
                            ],
                        ],
                    ]
                ]
            ])
        guard let id = (created["value"] as? [String: Any])?["sessionId"] as? String else {
            kill(process.processIdentifier, SIGKILL)
            throw WebDriverError("no session: \(created)")
        }
        session = id
        // The bound on every wait below.
        _ = try await send("POST", "/session/\(id)/timeouts", ["script": 120_000, "pageLoad": 120_000])
    }

    func open(_ url: String) async throws {
        _ = try await send("POST", "/session/\(session)/url", ["url": url])
    }

    /// Runs `script` (a function body whose last argument is the callback) and returns what it
    /// passed to the callback.
    func executeAsync(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await send("POST", "/session/\(session)/execute/async", ["script": script, "args": arguments])["value"]
    }

    func execute(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        try await send("POST", "/session/\(session)/execute/sync", ["script": script, "args": arguments])["value"]
    }

    /// Clicks the element `css` selects, as a user would (WebDriver's element click).
    func click(_ css: String) async throws {
        let found = try await send(
            "POST", "/session/\(session)/element", ["using": "css selector", "value": css])
        guard let element = (found["value"] as? [String: Any])?.values.first as? String else {
            throw WebDriverError("no element \(css): \(found)")
        }
        _ = try await send("POST", "/session/\(session)/element/\(element)/click", [:])
    }

    /// Presses and releases one key, sent to the focused element as a user's keystroke (WebDriver's
    /// actions).
    func press(_ key: String) async throws {
        _ = try await send(
            "POST", "/session/\(session)/actions",
            [
                "actions": [
                    [
                        "type": "key", "id": "keyboard",
                        "actions": [["type": "keyDown", "value": key], ["type": "keyUp", "value": key]],
                    ]
                ]
            ])
    }

    func screenshot() async throws -> Data {
        let value = try await send("GET", "/session/\(session)/screenshot", nil)["value"] as? String
        guard let value, let data = Data(base64Encoded: value) else { throw WebDriverError("no screenshot") }
        return data
    }

    /// Closes the browser (WebDriver's session delete), then ends chromedriver with SIGKILL: under
    /// the test runner it does not act on SIGTERM, and waiting for it would spin forever.
    func quit() async {
        if !session.isEmpty { _ = try? await send("DELETE", "/session/\(session)", nil) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private func send(_ method: String, _ path: String, _ body: [String: Any]?) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: base + path)
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await Client.shared.execute(request, timeout: .seconds(180))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView)) as? [String: Any]) ?? [:]
        if response.status.code >= 400 { throw WebDriverError("\(method) \(path): \(response.status) \(json)") }
        return json
    }
}

struct WebDriverError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
