import IntakeCore
import Testing

/// Issue 15 item 9: stored text is shown, never acted on by the terminal.
@Suite struct SafeTextTests {
    @Test func controlCharactersAndEscapesAreShownNotActedOn() {
        #expect(SafeText.escapedForDisplay("a\u{1B}[2Jb") == "a\\u{1b}[2Jb")
        #expect(SafeText.escapedForDisplay("x\u{0}y\u{202E}z") == "x\\u{0}y\\u{202e}z")
        #expect(SafeText.escapedForDisplay("Sở Tài chính") == "Sở Tài chính")
    }

    @Test func lineBreaksAreForbiddenOnlyWhereAskedFor() {
        #expect(SafeText.firstForbidden(in: "a\nb", allowingLineBreaks: true) == nil)
        #expect(SafeText.firstForbidden(in: "a\nb") == "\n")
        #expect(SafeText.firstForbidden(in: "Công văn 12/UBND") == nil)
    }
}
