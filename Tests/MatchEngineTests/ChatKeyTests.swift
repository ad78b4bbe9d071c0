import MatchEngine
import Testing

/// How a chat id or a chat folder is reduced: every spelling of one number meets in one key, and
/// only a group id is taken for a group.
struct ChatKeyTests {
    @Test(
        "Every spelling of one number has one canonical key: JID, punctuation, no country code, ninth digit",
        arguments: [
            "5579965146325", "557965146325", "5579965146325@s.whatsapp.net", "5579965146325@c.us",
            "+55 (79) 96514-6325", "55 79 96514-6325", "(79) 96514-6325", "(79) 6514-6325", "79 965146325",
            "79965146325",
        ])
    func spellingsMeet(spelling: String) {
        #expect(ChatKey(spelling).canonical == "557965146325")
    }

    @Test(
        "A number is completed with 55 only when it reads as a Brazilian national one",
        arguments: [
            // Ten or eleven digits under an assigned area code: completed.
            ("6932241122", "556932241122"), ("11987654321", "5511987654321"),
            // Eleven digits whose third is not a mobile's 9; area codes 20 and 10 are not assigned;
            // a landline starting 0 or 1; shorter, longer and international numbers: left alone.
            ("11887654321", "11887654321"), ("2096514632", "2096514632"), ("10965146325", "10965146325"),
            ("6912241122", "6912241122"), ("987654321", "987654321"), ("4915112345678", "4915112345678"),
            ("12025550123", "12025550123"), ("120363025246125486", "120363025246125486"),
        ])
    func completesNationalNumbers(digits: String, expected: String) {
        #expect(ChatKey.withCountryCode(digits) == expected)
    }

    @Test(
        "Groups are @g.us ids and old-style <creator>-<time> ids; a punctuated number is a person",
        arguments: [
            ("120363025246125486@g.us", true), ("556999267344-1600000000@g.us", true),
            ("556999267344-1600000000", true), ("+55 (69) 9926-7344", false), ("(79) 96514-6325", false),
            ("55 69 99926-7344", false), ("556999267344@s.whatsapp.net", false), ("Equipe-Vendas", false),
            ("9926-7344", false),
        ])
    func groups(chatID: String, isGroup: Bool) {
        #expect(ChatKey.isGroup(chatID) == isGroup)
    }
}
