import Testing

@testable import MatchEngine

/// Partitioning places the files of a pair of folders as the first of them is placed, and a pair
/// that comes back after other folders goes where it went before.
struct PartitionerTests {
    static func message(_ rowID: Int64, instance: String) -> AudioMessage {
        var message = AudioMessage.example(rowID: rowID, client: "Ana Luiza", instance: instance)
        message.clientID = 1
        message.chatRowID = rowID
        return message
    }

    static func file(client: String = "Ana_Luiza", instance: String) -> AudioFile {
        .example(client: client, instance: instance)
    }

    @Test("Folders that come apart in the list keep their partition; misses are counted for each file")
    func foldersApart() {
        let files = [
            Self.file(instance: "INST-A"),  // 0
            Self.file(instance: "INST-B"),  // 1
            Self.file(client: "Nobody", instance: "INST-Z"),  // 2: no such client
            Self.file(instance: "INST-A"),  // 3
            Self.file(instance: "INST-C"),  // 4: no message of this instance
            Self.file(instance: "INST-C"),  // 5
            Self.file(instance: "INST-B"),  // 6
        ]
        let messages = [Self.message(1, instance: "INST-A"), Self.message(2, instance: "INST-B")]
        let (partitions, outOfScope) = Partitioner.partition(files: files, messages: messages)
        #expect(partitions.map(\.instanceID) == ["INST-A", "INST-B"])
        #expect(partitions.map(\.files) == [[0, 3], [1, 6]])
        #expect(partitions.map(\.messages) == [[0], [1]])
        #expect(outOfScope.map(\.file) == [2, 4, 5])
        #expect(outOfScope.map(\.miss.reason) == [.unknownClient, .unknownInstance, .unknownInstance])
    }
}
