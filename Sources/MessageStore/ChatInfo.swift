/// What a message inherits from its chat row, looked up once per chat and shared by its messages
/// (the strings are shared too, not copied per message).
struct ChatInfo: Sendable {
    var chatRowID: Int64
    var chatID: String
    var clientID: Int64
    var clientName: String
    var instanceID: String?
}
