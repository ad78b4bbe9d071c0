import MessageStore
import StoreFixtures

/// The rows every compat test starts from: two clients, three instances, chats with and without an
/// instance, and audio rows in every odd shape a CRM has been seen to hold.
enum Fixture {
    static let sha = "n3vS0y2Q0bT4mV9X9mR1wq3v8mZq2oX3Jc4yQy7bXkQ="
    static let time: Int64 = 1_754_910_197  // 2025-08-11 11:03:17 UTC

    static let clients = [
        SpecClient(id: 1, name: "Elizeu Batiliere Dos Santos"),
        SpecClient(id: 2, name: "José Ávila"),
        SpecClient(id: 3, name: "Jose  Avila"),  // folds like client 2: names alone are ambiguous
    ]

    static let instances = [
        SpecInstance(id: 10, instanceID: "3B6XIW-ZTS923-GEAY6V", clientID: 1),
        SpecInstance(id: 11, instanceID: "7QK2PL-AAAAAA-BBBBBB", clientID: 2),
        SpecInstance(id: 12, instanceID: "UNUSED-000000-000000", clientID: 3),
    ]

    static let chats = [
        SpecChat(id: 100, chatID: "556999267344@s.whatsapp.net", chatName: "Ana", clientID: 1, instanceRowID: 10),
        SpecChat(id: 101, chatID: "120363025246125486@g.us", chatName: "Grupo", clientID: 1, instanceRowID: 10),
        SpecChat(id: 102, chatID: "+55 (69) 9926-7344", clientID: 2, instanceRowID: 11),
        SpecChat(id: 103, chatID: "5511987654321", clientID: 2, instanceRowID: nil),
    ]

    /// A well-formed gateway `conteudo` in the spec's shape, in the Python `json.dumps` style.
    static func conteudo(seconds: Int = 7, length: String = #""18342""#, extra: String = "") -> String {
        #"{"audioMessage": {"url": "https://mmg.whatsapp.net/v/t62.7117-24/x.enc", "#
            + #""mimetype": "audio/ogg; codecs=opus", "fileSha256": "\#(sha)", "fileLength": \#(length), "#
            + #""seconds": \#(seconds), "ptt": true, "mediaKey": "k3y", "directPath": "/v/t62.7117-24/x", "#
            + #""mediaKeyTimestamp": "1754910197"\#(extra)}, "messageTimestamp": 1754910197, "#
            + #""key": {"remoteJid": "556999267344@s.whatsapp.net", "fromMe": false, "id": "KEY-ID"}}"#
    }

    static func message(
        _ id: Int64, chat: Int64 = 100, messageID: String? = nil, kind: String = "audio", conteudo: String?,
        dataEnvio: String? = nil, fromMe: Bool = false, sender: String? = nil
    ) -> SpecMessage {
        SpecMessage(
            id: id, chatRowID: chat, messageID: messageID ?? "3EB0\(id)", sender: sender, kind: kind,
            conteudo: conteudo,
            dataEnvio: dataEnvio ?? SpecMessage.dataEnvio(unixSeconds: time + id, microseconds: 123_456), fromMe: fromMe
        )
    }

    /// Row ids with what the load must make of them.
    static let messages: [SpecMessage] = [
        message(1, conteudo: conteudo(), sender: "556999267344@s.whatsapp.net"),
        SpecMessage(
            id: 2, chatRowID: 100, messageID: nil, conteudo: conteudo(seconds: 3),
            dataEnvio: "2025-08-11 11:05:00", fromMe: true),
        SpecMessage(id: 3, chatRowID: 101, messageID: "", conteudo: conteudo(), dataEnvio: "2025-08-11 11:06:00"),
        message(4, conteudo: "[Áudio]"),
        message(5, conteudo: #"{"conversation": "oi"}"#),
        message(6, conteudo: nil),
        message(7, conteudo: #"{"audioMessage": {"seconds": 7, "fileLength": "18"#),
        message(8, conteudo: #""[Áudio]""#),
        message(
            9, chat: 102,
            conteudo: #"{"audioMessage":{"fileLength":{"low":18342,"high":0,"unsigned":false},"seconds":2.46},"#
                + #""messageTimestamp":"1754910197123"}"#),
        message(
            10, chat: 102,
            conteudo: conteudo(extra: #", "localPath": "Jose_Avila/instance_7QK2PL-AAAAAA-BBBBBB/chats/5569/a.ogg""#)),
        message(
            11, chat: 103, conteudo: #"{"audioMessage": {"seconds": "x", "fileSha256": 42, "mimetype": "audio/mpeg"}}"#),
        message(12, kind: "texto", conteudo: #"{"conversation": "not audio"}"#),
        message(
            13, chat: 101,
            conteudo:
                "{\n  \"audioMessage\": {\n    \"seconds\": 12,\n    \"ptt\": true\n  },\n  \"key\": {\n    \"id\": \"PRETTY\"\n  }\n}"
        ),
        message(14, conteudo: conteudo(), dataEnvio: "ontem"),
        message(15, chat: 103, conteudo: conteudo(seconds: 9)),
    ]

    /// The fixture's messages that `backend` can hold: a `timestamptz` column cannot hold `ontem`, and a
    /// `jsonb` column no text that is not JSON.
    static func messages(for backend: Backend) -> [SpecMessage] {
        switch backend {
        case .sqlite: messages
        case .postgres: messages.filter { $0.id != 14 }
        case .postgresJSONB: messages.filter { ![4, 7, 14].contains($0.id) }
        }
    }

    /// Fills a database that has the spec's tables.
    static func fill(_ writer: any SpecDatabaseWriter, backend: Backend) async throws {
        try await writer.insert(clients: clients)
        try await writer.insert(instances: instances)
        try await writer.insert(chats: chats)
        try await writer.insert(messages: messages(for: backend))
    }

    /// `count` well-formed audio rows from id `first` on, spread over the fixture's chats.
    static func bulk(from first: Int64, count: Int) -> [SpecMessage] {
        (0..<Int64(count)).map { i in
            let id = first + i
            return message(id, chat: [100, 101, 102, 103][Int(id % 4)], conteudo: conteudo(seconds: Int(id % 60)))
        }
    }
}
