// Hummingbird 2 with no middleware, answering every request with the same bytes from memory:
// the framework's own ceiling on this machine, for benchmarks/serve.
import Hummingbird

let size = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 23_000
let port = Int(CommandLine.arguments.dropFirst(2).first ?? "") ?? 8799
let body = ByteBuffer(repeating: 0x61, count: size)
let router = Router()
router.get("**") { _, _ -> Response in
    Response(status: .ok, headers: [.contentType: "audio/ogg"], body: .init(byteBuffer: body))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
