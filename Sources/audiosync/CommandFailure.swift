import ArgumentParser
import Evaluation
import Foundation
import MediaStore
import MessageStore

/// A command that cannot go on: one line on stderr that says what is wrong and what to do, and an
/// exit code that says what kind of failure it was.
struct CommandFailure: Error, CustomStringConvertible {
    let message: String
    let code: ExitCode

    init(_ message: String, code: ExitCode = .runtimeFailure) {
        self.message = message
        self.code = code
    }

    var description: String { message }
}

/// Runs a command body; any error becomes one line on stderr and a named exit code, never a trace.
func reportingFailures(_ command: String, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch let error as CommandFailure {
        Terminal.error("audiosync \(command): \(error.message)")
        throw error.code
    } catch let error as MessageStoreError {
        Terminal.error("audiosync \(command): \(error)")
        throw ExitCode.runtimeFailure
    } catch let error as MediaStoreError {
        Terminal.error("audiosync \(command): \(error)")
        throw ExitCode.runtimeFailure
    } catch let error as EvaluationError {
        Terminal.error("audiosync \(command): \(error)")
        throw ExitCode.runtimeFailure
    } catch {
        Terminal.error("audiosync \(command): \(error)")
        throw ExitCode.runtimeFailure
    }
}
