import AsyncHTTPClient
import Foundation
import GRDB
import NIOHTTP1
import Serve
import Testing

/// Who may use the server: a token off loopback, the login's cookie, CSRF on POSTs, and the Host check
/// of a tokenless loopback server.
@Suite(.serialized)
struct AccessTests {
    static let secret = "s3cret-token-for-tests-0123456789"

    @Test("Any address but loopback needs a token; loopback does not")
    func tokenRequiredOffLoopback() throws {
        let store = ListenAddress(host: "0.0.0.0", port: 8750)
        #expect(!store.isLoopback)
        #expect(ListenAddress(host: "127.0.0.1", port: 1).isLoopback)
        #expect(ListenAddress(host: "127.8.9.10", port: 1).isLoopback)
        #expect(ListenAddress(host: "::1", port: 1).isLoopback)
        #expect(!ListenAddress(host: "192.168.1.4", port: 1).isLoopback)
        #expect(try ListenAddress(parsing: "[::1]:9000") == ListenAddress(host: "::1", port: 9000))
        #expect(try ListenAddress(parsing: "0.0.0.0:80") == ListenAddress(host: "0.0.0.0", port: 80))
        #expect(throws: ServeError.self) { try ListenAddress(parsing: "somewhere") }
        #expect(throws: ServeError.self) { try AccessToken("short") }
    }

    @Test(
        "Without the token: 401 (on a non-loopback bind); with it, as a header or after login, served; POSTs need the CSRF token"
    )
    func tokenLoginAndCSRF() async throws {
        let store = try await ServedStore()
        let configuration = store.configuration(
            listen: ListenAddress(host: "0.0.0.0", port: 0), token: try AccessToken(Self.secret))
        #expect(throws: ServeError.tokenRequired(host: "0.0.0.0")) {
            try ReviewServer(configuration: store.configuration(listen: ListenAddress(host: "0.0.0.0", port: 0)))
        }
        let server = try await RunningServer.start(configuration)
        let row = try #require(
            try store.read { db in
                try Int64.fetchOne(db, sql: "SELECT message_id FROM audiosync_change WHERE action = 'link' ORDER BY id")
            })
        let audio = "\(server.base)/api/audio/hash-mapping/\(row)/"

        let anonymous = try await Client.send(audio)
        #expect(anonymous.status == .unauthorized)
        #expect(anonymous.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(anonymous.json["error"] as? String == "unauthorized")
        #expect(
            try await Client.send(audio, headers: [("Authorization", "Bearer wrong-token-0123456789")]).status
                == .unauthorized)
        let page = try await Client.send("\(server.base)/review")
        #expect(page.status == .seeOther && page.header("Location") == "/login")
        #expect(try await Client.send("\(server.base)/login").status == .ok)

        let bearer = try await Client.send(audio, headers: [("Authorization", "Bearer \(Self.secret)")])
        #expect(bearer.status == .ok && bearer.header("Content-Type") == "audio/ogg; codecs=opus")

        let wrong = try await Client.send(
            "\(server.base)/login", method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: "token=nope")
        #expect(wrong.status == .unauthorized)
        #expect(wrong.header("Set-Cookie") == nil)
        let login = try await Client.send(
            "\(server.base)/login", method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
            body: "token=\(Self.secret)")
        #expect(login.status == .seeOther)
        let setCookie = try #require(login.header("Set-Cookie"))
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
        let cookie = String(setCookie.split(separator: ";")[0])

        #expect(try await Client.send(audio, headers: [("Cookie", cookie)]).status == .ok)
        let review = try await Client.send("\(server.base)/review", headers: [("Cookie", cookie)])
        #expect(review.status == .ok)
        let csrf = try #require(Self.csrf(in: review.text))

        let items = try await Client.send("\(server.base)/api/review/items", headers: [("Cookie", cookie)])
        #expect(items.status == .ok)
        let item = try #require((items.json["items"] as? [[String: Any]])?.first)
        let file = try #require((item["file"] as? [String: Any])?["path"] as? String)
        let body = try String(decoding: JSONSerialization.data(withJSONObject: ["file": file]), as: UTF8.self)

        let forged = try await Client.send(
            "\(server.base)/api/review/skip", method: .POST,
            headers: [("Cookie", cookie), ("Content-Type", "application/json")], body: body)
        #expect(forged.status == .forbidden)
        #expect(forged.json["error"] as? String == "csrf")
        let wrongToken = try await Client.send(
            "\(server.base)/api/review/skip", method: .POST,
            headers: [
                ("Cookie", cookie), ("Content-Type", "application/json"), ("X-CSRF-Token", String(csrf.reversed())),
            ],
            body: body)
        #expect(wrongToken.status == .forbidden)
        let skipped = try await Client.send(
            "\(server.base)/api/review/skip", method: .POST,
            headers: [("Cookie", cookie), ("Content-Type", "application/json"), ("X-CSRF-Token", csrf)], body: body)
        #expect(skipped.status == .ok)
        #expect((skipped.json["item"] as? [String: Any])?["state"] as? String == "skipped")

        let logout = try await Client.send(
            "\(server.base)/logout", method: .POST, headers: [("Cookie", cookie), ("X-CSRF-Token", csrf)])
        #expect(logout.status == .seeOther)
        #expect(try await Client.send(audio, headers: [("Cookie", cookie)]).status == .unauthorized)
        try await server.stop()
    }

    @Test("A loopback server without a token answers only to its loopback names, and still wants CSRF on POSTs")
    func loopbackHostAndCSRF() async throws {
        let store = try await ServedStore()
        let server = try await RunningServer.start(store.configuration())
        let rebound = try await Client.send("\(server.base)/review", headers: [("Host", "attacker.example")])
        #expect(rebound.status == .forbidden)
        #expect(rebound.json["error"] as? String == "host_not_allowed")
        let page = try await Client.send("\(server.base)/review")
        #expect(page.status == .ok)
        let csrf = try #require(Self.csrf(in: page.text))
        let refusal = try await Client.send(
            "\(server.base)/api/review/refresh", method: .POST, headers: [("Content-Type", "application/json")],
            body: "{}")
        #expect(refusal.status == .forbidden && refusal.json["error"] as? String == "csrf")
        let refreshed = try await Client.send(
            "\(server.base)/api/review/refresh", method: .POST,
            headers: [("Content-Type", "application/json"), ("X-CSRF-Token", csrf)], body: "{}")
        #expect(refreshed.status == .ok)
        try await server.stop()
    }

    static func csrf(in page: String) -> String? {
        guard let range = page.range(of: #"<meta name="csrf-token" content=""#) else { return nil }
        let rest = page[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
