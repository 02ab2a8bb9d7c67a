import Foundation
import Imaging
import IntakeCore
import Registry
import Scanning
import Testing
@testable import Appliance
import PagePipeline

/// Whether a clerk-facing text is Vietnamese: every word must be a Vietnamese syllable (onset,
/// optional medial, vowel nucleus, optional final; tone marks ignored), or one of the few
/// technical words the front desk uses as they are. English words fail because of their
/// consonant clusters and endings; the short English words that happen to be shaped like a
/// Vietnamese syllable ("the", "to", "in") are named.
enum VietnameseText {
    /// Allowed as they are (lowercased): acronyms and loanwords of the front desk; "t" of "T-12".
    static let technicalWords: Set<String> = ["usb", "mtls", "internet", "t"]
    /// English words shaped like a Vietnamese syllable.
    static let englishLookalikes: Set<String> = [
        "the", "to", "in", "on", "is", "and", "of", "for", "no", "not", "at", "by", "it", "be", "or", "as", "up",
        "so", "do", "go", "he", "ok", "yes", "can", "new", "now", "left", "call",
    ]
    private static let toneMarks: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]
    nonisolated(unsafe) private static let syllable = try! Regex(
        "(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?(o|u)?"
            + "(iê|yê|uô|ươ|ia|ya|ua|ưa|oo|a|ă|â|e|ê|i|o|ô|ơ|u|ư|y)(ch|ng|nh|c|m|n|p|t|i|y|o|u)?")

    /// The word without its tone mark, lowercased: "Kẹt" → "ket", "giấy" → "giây".
    static func toneless(_ word: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in word.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars where !toneMarks.contains(scalar.value) {
            scalars.append(scalar)
        }
        return String(scalars).precomposedStringWithCanonicalMapping
    }

    static func isVietnamese(_ word: String) -> Bool {
        let lower = word.lowercased()
        if technicalWords.contains(lower) { return true }
        if englishLookalikes.contains(lower) { return false }
        return toneless(word).wholeMatch(of: syllable) != nil
    }

    /// The words of `text` that are not Vietnamese.
    static func foreignWords(in text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter }).map(String.init).filter { !isVietnamese($0) }
    }
}

@Suite struct ClerkCatalogueTests {
    /// 2026-12-01 00:22 UTC: 07:22 in Hà Nội.
    static let at = Date(timeIntervalSince1970: 1_796_084_520)

    /// One example of every `ClerkMessage` case, with values a real box would show.
    static let samples: [ClerkMessage] = [
        .title, .ready, .scannerMissing, .lastNumberLabel,
        .registered(book: "DEN", year: 2026, pages: 3, urgency: .hoaToc, provisional: false),
        .registered(book: "DEN", year: 2026, pages: 1, urgency: .normal, provisional: true),
        .waitingToSend(4), .offline(since: at), .clock(at), .leases(remaining: 37, unconfirmed: 0), .leases(remaining: 0, unconfirmed: 2),
        .tuyetMatNumbered(book: "MAT", number: 3),
        .marksReadOnPage(number: 12, book: "DEN", mark: .toiMat), .marksUnreadable(number: 12, book: "DEN"),
        .marksStillHeld(numbers: [12, 14], book: "DEN"), .urgencyRaisedFromMark(number: 12, book: "DEN", urgency: .thuongKhan),
        .marksDismissed(number: 12, book: "DEN"),
        .classifiedNumberOnly(secrecy: .mat, book: "MAT", number: 4),
        .classifiedSealed(secrecy: .toiMat, book: "MAT", number: 5),
        .classifiedSealed(secrecy: .sensitive, book: "MAT", number: 6),
        .secrecyRaised(from: 12, fromBook: "DEN", to: .mat, number: 7, book: "MAT", pagesKept: false),
        .secrecyRaised(from: 12, fromBook: "DEN", to: .toiMat, number: 7, book: "MAT", pagesKept: true),
        .secrecyLowered(from: 7, fromBook: "MAT", number: 13, book: "DEN"),
        .marksPending, .marksFlagged, .holdWindow(seconds: 180), .voided(reason: "Vào sổ nhầm"), .voided(reason: nil),
        .targetGone(target: "trung-tam"), .tuyetMatNeverSent, .nothingKept(secrecy: .mat), .nothingKept(secrecy: .none),
        .internetBoxKeepsNoClassified(secrecy: .mat), .targetNotClassified(target: "trung-tam", secrecy: .toiMat),
        .notSealed(secrecy: .mat), .noMutualTLS(target: "mang-mat", secrecy: .mat), .noApprovedDevice(target: "usb", secrecy: .mat),
        .approvedDeviceAbsent(target: "usb", secrecy: .toiMat), .failure(code: "scanner.jammed"), .failure(code: "no.such-code"),
        .deliveryNeedsAttention,
    ]

    /// The case's name; exhaustive, so a new case does not compile until it is named here and sampled above.
    static func caseName(_ message: ClerkMessage) -> String {
        switch message {
        case .title: "title"
        case .ready: "ready"
        case .scannerMissing: "scannerMissing"
        case .lastNumberLabel: "lastNumberLabel"
        case .registered: "registered"
        case .waitingToSend: "waitingToSend"
        case .offline: "offline"
        case .clock: "clock"
        case .leases: "leases"
        case .tuyetMatNumbered: "tuyetMatNumbered"
        case .marksReadOnPage: "marksReadOnPage"
        case .marksUnreadable: "marksUnreadable"
        case .marksStillHeld: "marksStillHeld"
        case .urgencyRaisedFromMark: "urgencyRaisedFromMark"
        case .marksDismissed: "marksDismissed"
        case .classifiedNumberOnly: "classifiedNumberOnly"
        case .classifiedSealed: "classifiedSealed"
        case .secrecyRaised: "secrecyRaised"
        case .secrecyLowered: "secrecyLowered"
        case .marksPending: "marksPending"
        case .marksFlagged: "marksFlagged"
        case .holdWindow: "holdWindow"
        case .voided: "voided"
        case .targetGone: "targetGone"
        case .tuyetMatNeverSent: "tuyetMatNeverSent"
        case .nothingKept: "nothingKept"
        case .internetBoxKeepsNoClassified: "internetBoxKeepsNoClassified"
        case .targetNotClassified: "targetNotClassified"
        case .notSealed: "notSealed"
        case .noMutualTLS: "noMutualTLS"
        case .noApprovedDevice: "noApprovedDevice"
        case .approvedDeviceAbsent: "approvedDeviceAbsent"
        case .failure: "failure"
        case .deliveryNeedsAttention: "deliveryNeedsAttention"
        }
    }

    /// Every error code that can reach the clerk's screen, taken from the errors themselves.
    static var screenErrorCodes: [String] {
        ScanError.Code.allCases.map { ScanError(code: $0, message: "", detail: "").errorCode }
            + PipelineError.Code.allCases.map { PipelineError(code: $0, message: "", detail: "").errorCode }
            + ImagingError.Code.allCases.map { ImagingError(code: $0, message: "", detail: "").errorCode }
            + RegistryError.Code.allCases.map { RegistryError($0, "").errorCode }
            + SecrecyError.Code.allCases.map { SecrecyError($0, "").errorCode }
            + [HeaderReader.Failure(message: "", detail: "").errorCode,
               ErrorPayload(ConfigurationError(issues: [])).code, ErrorPayload(CocoaError(.fileNoSuchFile)).code]
    }

    @Test func theCheckFindsEnglishInWhatTheScreenUsedToSay() {
        #expect(VietnameseText.foreignWords(in: "SẴN SÀNG — ready") == ["ready"])
        #expect(VietnameseText.foreignWords(in: "Paper jam — open the scanner cover and remove the paper.").count == 10)
        #expect(VietnameseText.foreignWords(in: "Chờ gửi / waiting to send: 3") == ["waiting", "to", "send"])
        #expect(VietnameseText.foreignWords(in: "Kẹt giấy — mở nắp máy quét, lấy giấy ra rồi bấm lại").isEmpty)
        #expect(VietnameseText.foreignWords(in: "Nguyễn Thị Hường, khoảng 200 trang, thuyết minh, chuyển người nhận").isEmpty)
    }

    @Test func everyCatalogueMessageIsVietnamese() {
        #expect(Set(Self.samples.map(Self.caseName)).count == 34, "every case of ClerkMessage has a sample")
        for message in Self.samples {
            #expect(VietnameseText.foreignWords(in: message.text).isEmpty, "\(message): \(message.text)")
        }
        for (code, sentence) in ClerkCatalogue.errorSentences {
            #expect(VietnameseText.foreignWords(in: sentence).isEmpty, "\(code): \(sentence)")
        }
        #expect(VietnameseText.foreignWords(in: ClerkCatalogue.fallback).isEmpty)
    }

    @Test func everyErrorCodeThatCanReachTheScreenHasACatalogueSentence() {
        let codes = Self.screenErrorCodes
        #expect(codes.count > 50)
        let missing = codes.filter { ClerkCatalogue.errorSentences[$0] == nil }
        #expect(missing.isEmpty, "no Vietnamese sentence for: \(missing)")
        let jam = ClerkCatalogue.message(for: ScanError(code: .jammed, message: "Paper jam — open the scanner cover and remove the paper.", detail: "sane_read: SANE_STATUS_JAMMED"))
        #expect(jam.text.hasPrefix("Kẹt giấy — mở nắp máy quét"))
        #expect(ClerkCatalogue.message(for: PipelineError.noScanner("gone")).text.contains("máy quét"))
    }

    @Test func theStatusScreenIsVietnameseInEveryState() {
        var states: [ScreenState] = []
        var state = ScreenState()
        states.append(state)
        state.scannerConnected = false
        states.append(state)
        state.scannerConnected = true
        for code in Self.screenErrorCodes {
            state.problem = .failure(code: code)
            states.append(state)
        }
        state.problem = nil
        state.lastNumber = "12"
        state.lastDetail = .registered(book: "DEN", year: 2026, pages: 2, urgency: .thuongKhan, provisional: false)
        state.queueLength = 3
        state.offlineSince = Self.at
        state.leases = ScreenLeases(remaining: 0, unconfirmed: 4)
        states.append(state)
        state.lastNumber = "T-4"
        state.lastDetail = .registered(book: "DEN", year: 2026, pages: 2, urgency: .khan, provisional: true)
        states.append(state)
        state.lastDetail = .classifiedNumberOnly(secrecy: .mat, book: "MAT", number: 2)
        states.append(state)
        for state in states {
            let lines = StatusScreen.lines(state, now: Self.at)
            for line in lines {
                #expect(VietnameseText.foreignWords(in: line).isEmpty, "\(line)")
            }
        }
    }

    @Test func theStatusScreenShowsVietnamTimeNeverUTC() {
        // "offline since 0:22" was what the screen said when it was 7:22 in Hà Nội.
        var state = ScreenState()
        state.offlineSince = Self.at
        let screen = StatusScreen.render(state, now: Self.at)
        #expect(screen.contains("Mất kết nối với trung tâm từ 07:22"), "\(screen)")
        #expect(screen.contains("Giờ Việt Nam: 07:22 ngày 01/12/2026"), "\(screen)")
        #expect(!screen.contains("00:22"))
    }

    @Test func theStatusScreenHasALeaseLineOnlyWhenNumbersAreLeased() throws {
        var state = ScreenState()
        #expect(!StatusScreen.render(state).contains("Khối số"))
        state.leases = ScreenLeases(remaining: 37, unconfirmed: 2)
        let screen = StatusScreen.render(state)
        #expect(screen.contains("Khối số đến được cấp còn 37 số; 2 số tạm chờ trung tâm xác nhận"), "\(screen)")
    }

    @Test func theDomainWordsTheClerkSeesAreVietnamese() {
        let texts = Urgency.allCases.flatMap { [$0.displayName, $0.decreeName] }
            + Secrecy.allCases.flatMap { [$0.displayName, $0.decreeName, SecrecyRules.registerNote(for: $0)] }
        for text in texts {
            #expect(VietnameseText.foreignWords(in: text).isEmpty, "\(text)")
        }
    }

    @Test func aScanFailureReachesTheScreenInVietnameseWhateverTheErrorSays() {
        var state = ScreenState()
        state.problem = ClerkCatalogue.message(for: ScanError(code: .noDocuments, message: "The feeder is empty — put the pages in the feeder and press again.", detail: "sane_start: SANE_STATUS_NO_DOCS"))
        let screen = StatusScreen.lines(state, now: Self.at)
        #expect(screen.contains("  Khay giấy trống — đặt văn bản vào khay rồi bấm quét lại."))
        #expect(!screen.joined().contains("feeder"))
    }
}
