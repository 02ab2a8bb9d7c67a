import Appliance
import Testing

/// Parsing `text` is refused with a problem at `key`, on a line of the file, whose message says `words`.
func expectConfigurationProblem(_ text: String, key: String, words: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try ConfigurationLoader.parse(text, file: "t.toml")
        Issue.record("accepted: \(text)", sourceLocation: sourceLocation)
    } catch {
        let issue = error.issues.first { $0.key == key }
        #expect(issue != nil, "\(error.issues)", sourceLocation: sourceLocation)
        #expect(issue?.line != nil, sourceLocation: sourceLocation)
        #expect(issue?.message.contains(words) == true, "\(issue?.message ?? "")", sourceLocation: sourceLocation)
    }
}
