// The plan's entries that make up most of a large `sync --json`, written as the encoder writes
// them (``PrettyJSONWritable``): keys in the encoder's sorted order, an optional the synthesized
// coding leaves out left out, a `@Nullable` one written as `null`.

extension MatchPlan.Link: PrettyJSONWritable {
    public func writePrettyJSON(to writer: inout PrettyJSONWriter) {
        writer.object { writer in
            writer.key("duplicates")
            writer.array(duplicates) { path, writer in writer.string(path) }
            writer.key("file")
            writer.string(file)
            writer.key("margin")
            if let margin { writer.number(margin) } else { writer.null() }
            writer.key("message_id")
            writer.integer(messageRowID)
            writer.key("probability")
            writer.number(probability)
            writer.key("runner_up")
            if let runnerUp { writer.value(runnerUp) } else { writer.null() }
            writer.key("score")
            writer.number(score)
            writer.key("tier")
            writer.string(tier)
            if let waterfall {
                writer.key("waterfall")
                writer.value(waterfall)
            }
        }
    }
}

extension MatchPlan.Candidate: PrettyJSONWritable {
    public func writePrettyJSON(to writer: inout PrettyJSONWriter) {
        writer.object { writer in
            writer.key("file")
            writer.string(file)
            writer.key("message_id")
            writer.integer(messageRowID)
            if let probability {
                writer.key("probability")
                writer.number(probability)
            }
            writer.key("score")
            writer.number(score)
            if let waterfall {
                writer.key("waterfall")
                writer.value(waterfall)
            }
        }
    }
}

extension MatchPlan.Review: PrettyJSONWritable {
    public func writePrettyJSON(to writer: inout PrettyJSONWriter) {
        writer.object { writer in
            writer.key("candidates")
            writer.array(candidates) { candidate, writer in writer.value(candidate) }
            writer.key("file")
            writer.string(file)
            writer.key("margin")
            if let margin { writer.number(margin) } else { writer.null() }
            writer.key("message_id")
            writer.integer(messageRowID)
            writer.key("probability")
            writer.number(probability)
            writer.key("reason")
            writer.string(reason.rawValue)
            writer.key("score")
            writer.number(score)
        }
    }
}
