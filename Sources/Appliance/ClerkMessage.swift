public import Foundation
import IntakeCore
public import Registry

/// Everything the clerk sees or hears, in Vietnamese, from one catalogue: the status screen,
/// the bell and speech hooks' texts, the secrecy notices, the release gate's held reasons and
/// the sentences for errors that reach the front desk (`ClerkCatalogue`). A typed case per
/// thing said; `text` is the one place it is worded. Technicians' texts (CLI, journal, `--help`)
/// stay English and are not here.
///
/// `ClerkCatalogueTests` renders every case and fails if a word is not a Vietnamese syllable.
public enum ClerkMessage: Sendable, Equatable {
    // MARK: - Status screen

    /// The screen's title line.
    case title
    /// Headline when the scanner is connected and nothing is wrong.
    case ready
    /// Headline when no scanner answers.
    case scannerMissing
    /// Label above the big digits.
    case lastNumberLabel
    /// The line under the big digits after an ordinary registration.
    case registered(book: String, year: Int, pages: Int, urgency: Urgency, provisional: Bool)
    /// Documents waiting to be sent.
    case waitingToSend(Int)
    /// The link to the centre is down since `since` (shown in Vietnam time).
    case offline(since: Date)
    /// The current time, in Vietnam time.
    case clock(Date)
    /// Leased numbering: numbers left in the leased blocks, provisional numbers not yet confirmed.
    case leases(remaining: Int, unconfirmed: Int)

    // MARK: - Secrecy notices after registration or correction

    /// TUYỆT MẬT: numbered only, on any box.
    case tuyetMatNumbered(book: String, number: Int)
    /// Classified on an Internet box: numbered, no page kept.
    case classifiedNumberOnly(secrecy: Secrecy, book: String, number: Int)
    /// Classified on the classified network: sealed, sent only to classified targets.
    case classifiedSealed(secrecy: Secrecy, book: String, number: Int)
    /// An ordinary entry corrected to a secrecy grade.
    case secrecyRaised(from: Int, fromBook: String, to: Secrecy, number: Int, book: String, pagesKept: Bool)
    /// A classified entry corrected back to ordinary (registered MẬT by mistake).
    case secrecyLowered(from: Int, fromBook: String, number: Int, book: String)

    // MARK: - Release gate (held and waiting reasons)

    case marksPending
    case marksFlagged
    case holdWindow(seconds: Int)
    case voided(reason: String?)
    case targetGone(target: String)
    case tuyetMatNeverSent
    case nothingKept(secrecy: Secrecy)
    case internetBoxKeepsNoClassified(secrecy: Secrecy)
    case targetNotClassified(target: String, secrecy: Secrecy)
    case notSealed(secrecy: Secrecy)
    case noMutualTLS(target: String, secrecy: Secrecy)
    case noApprovedDevice(target: String, secrecy: Secrecy)
    case approvedDeviceAbsent(target: String, secrecy: Secrecy)

    // MARK: - OCR (the header stage's marks check)

    /// A secrecy mark read on page 1 of a document registered lower: held until confirmed.
    case marksReadOnPage(number: Int, book: String, mark: Secrecy)
    /// The marks could not be read (reader missing, crashed or overran): held until confirmed.
    case marksUnreadable(number: Int, book: String)
    /// At start-up: documents a flagged check still holds.
    case marksStillHeld(numbers: [Int], book: String)
    /// An urgency mark raised the registered urgency.
    case urgencyRaisedFromMark(number: Int, book: String, urgency: Urgency)
    /// The clerk said the mark was misread: the document is sent.
    case marksDismissed(number: Int, book: String)

    // MARK: - Errors and delivery trouble

    /// An error that reached the front desk, by its stable code (`ClerkCatalogue.errorSentences`).
    case failure(code: String)
    /// A delivery stopped and needs the technician.
    case deliveryNeedsAttention

    /// The sentence the clerk reads or hears.
    public var text: String {
        switch self {
        case .title:
            return "TIẾP NHẬN VĂN BẢN ĐẾN"
        case .ready:
            return "SẴN SÀNG — đặt văn bản vào khay rồi bấm nút quét"
        case .scannerMissing:
            return "CHƯA CÓ MÁY QUÉT — kiểm tra dây cáp và nguồn điện của máy quét"
        case .lastNumberLabel:
            return "Số đến vừa cấp:"
        case let .registered(book, year, pages, urgency, provisional):
            let head = provisional ? "SỐ TẠM — chờ số chính thức từ trung tâm — " : ""
            return head + "sổ \(book) năm \(year) — \(pages) trang — độ khẩn: \(urgency.decreeName.lowercased())"
        case let .waitingToSend(count):
            return "Chờ gửi: \(count) văn bản"
        case let .offline(since):
            return "Mất kết nối với trung tâm từ \(Self.time(since)) — văn bản vẫn được giữ trên máy và sẽ tự gửi khi có mạng"
        case let .clock(now):
            return "Giờ Việt Nam: \(Self.time(now)) ngày \(Self.day(now))"
        case let .leases(remaining, unconfirmed):
            let left = "Khối số đến được cấp còn \(remaining) số"
            return unconfirmed == 0 ? left : left + "; \(unconfirmed) số tạm chờ trung tâm xác nhận"
        case let .tuyetMatNumbered(book, number):
            return "Văn bản TUYỆT MẬT đã vào sổ \(book) số \(number). Máy không quét, không lưu và không gửi văn bản này: "
                + "ghi số lên bản giấy và chuyển theo quy trình văn bản tuyệt mật."
        case let .classifiedNumberOnly(secrecy, book, number):
            return "Văn bản \(secrecy.displayName) đã vào sổ \(book) số \(number). Máy này nối Internet nên không quét, không lưu và không gửi trang nào: "
                + "ghi số lên bản giấy và chuyển theo quy trình văn bản mật."
        case let .classifiedSealed(secrecy, book, number):
            return "Văn bản \(secrecy.displayName) đã vào sổ \(book) số \(number); bản quét được mã hóa trên máy và chỉ gửi tới nơi nhận văn bản mật."
        case let .secrecyRaised(from, fromBook, to, number, book, pagesKept):
            let kept = pagesKept ? "bản quét được mã hóa và chỉ gửi tới nơi nhận văn bản mật" : "không lưu và không gửi bản quét"
            return "Đã đổi văn bản số \(from) sổ \(fromBook) thành \(to.displayName): "
                + "vào sổ \(book) số \(number); số \(from) sổ \(fromBook) đã hủy, không gửi; \(kept)."
        case let .secrecyLowered(from, fromBook, number, book):
            return "Đã đổi văn bản số \(from) sổ \(fromBook) thành văn bản thường: vào sổ \(book) số \(number); "
                + "số \(from) sổ \(fromBook) đã hủy. Ghi số mới lên bản giấy."
        case let .marksReadOnPage(number, book, mark):
            return "Văn bản số \(number) sổ \(book): trang 1 có dấu \(mark.displayName). Chưa gửi. "
                + "Kiểm tra bản giấy rồi báo người phụ trách xác nhận độ mật, hoặc xác nhận đọc nhầm."
        case let .marksUnreadable(number, book):
            return "Văn bản số \(number) sổ \(book): không đọc được dấu độ mật trên trang. Chưa gửi. "
                + "Kiểm tra bản giấy rồi báo người phụ trách xác nhận có dấu mật hay không."
        case let .marksStillHeld(numbers, book):
            return "Văn bản số \(numbers.map(String.init).joined(separator: ", ")) sổ \(book) đang chờ xác nhận dấu độ mật. Chưa gửi. "
                + "Kiểm tra bản giấy rồi báo người phụ trách xác nhận."
        case let .urgencyRaisedFromMark(number, book, urgency):
            return "Văn bản số \(number) sổ \(book): trang có dấu \(urgency.displayName); đã nâng độ khẩn và gửi trước."
        case let .marksDismissed(number, book):
            return "Đã xác nhận văn bản số \(number) sổ \(book) không có dấu độ mật (đọc nhầm); văn bản sẽ được gửi."
        case .marksPending:
            return "Đang kiểm tra dấu độ mật trên trang; chờ kết quả trước khi gửi."
        case .marksFlagged:
            return "Trang văn bản có dấu độ mật chưa được khai báo; kiểm tra lại và đổi độ mật nếu cần. Chưa gửi."
        case let .holdWindow(seconds):
            return "Chờ \(seconds) giây sau khi vào sổ để kịp sửa độ mật trước khi gửi."
        case let .voided(reason):
            return "Văn bản đã hủy: \(reason ?? "không gửi")."
        case let .targetGone(target):
            return "Nơi nhận '\(target)' không còn trong cấu hình; chưa gửi."
        case .tuyetMatNeverSent:
            return "Văn bản TUYỆT MẬT không bao giờ được gửi qua mạng hay lưu bản quét; chuyển bản giấy theo quy trình văn bản tuyệt mật."
        case let .nothingKept(secrecy):
            return "Văn bản \(secrecy == .none ? "này" : secrecy.displayName) không lưu bản quét trên máy này nên không có gì để gửi; "
                + "xử lý bản giấy theo quy trình văn bản mật."
        case let .internetBoxKeepsNoClassified(secrecy):
            return "Máy này nối Internet: văn bản \(secrecy.displayName) không được lưu hay gửi từ máy này."
        case let .targetNotClassified(target, secrecy):
            return "Nơi nhận '\(target)' không phải nơi nhận văn bản mật; văn bản \(secrecy.displayName) giữ lại trên máy."
        case let .notSealed(secrecy):
            return "Văn bản \(secrecy.displayName) chưa được mã hóa khi lưu; không gửi — báo người phụ trách kỹ thuật."
        case let .noMutualTLS(target, secrecy):
            return "Nơi nhận '\(target)' không dùng kết nối mã hóa xác thực hai chiều (mTLS); văn bản \(secrecy.displayName) giữ lại trên máy."
        case let .noApprovedDevice(target, secrecy):
            return "Thư mục '\(target)' không gắn với thiết bị USB được phê duyệt; văn bản \(secrecy.displayName) giữ lại trên máy."
        case let .approvedDeviceAbsent(target, secrecy):
            return "Chưa cắm thiết bị USB được phê duyệt cho '\(target)'; văn bản \(secrecy.displayName) chờ trên máy."
        case let .failure(code):
            return ClerkCatalogue.sentence(forCode: code)
        case .deliveryNeedsAttention:
            return "Có văn bản chưa gửi được tới trung tâm — văn bản vẫn được giữ trên máy; báo người phụ trách kỹ thuật."
        }
    }

    // MARK: - Vietnam time

    /// "08:15" in Vietnam time, whatever the box's time zone.
    static func time(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(format: "\(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits)",
                                                timeZone: VietnamTime.zone, calendar: Calendar(identifier: .gregorian)))
    }

    /// "01/12/2026" in Vietnam time.
    static func day(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(format: "\(day: .twoDigits)/\(month: .twoDigits)/\(year: .defaultDigits)",
                                                timeZone: VietnamTime.zone, calendar: Calendar(identifier: .gregorian)))
    }
}

extension ClerkMessage {
    /// What the clerk is told under the number after a registration: the secrecy notice for a
    /// classified document, else book, year, pages and urgency.
    public static func afterRegistration(_ document: RegisteredDocument) -> ClerkMessage {
        secrecyNotice(for: document) ?? .registered(book: document.book, year: document.year, pages: document.pages,
                                                     urgency: document.urgency, provisional: document.isProvisional)
    }

    /// The secrecy notice for a registered document; nil for an ordinary one.
    public static func secrecyNotice(for document: RegisteredDocument) -> ClerkMessage? {
        switch (document.secrecy, document.storage) {
        case (.none, _): nil
        case (.tuyetMat, _): .tuyetMatNumbered(book: document.book, number: document.number)
        case (_, .none): .classifiedNumberOnly(secrecy: document.secrecy, book: document.book, number: document.number)
        case (_, .sealed), (_, .plain): .classifiedSealed(secrecy: document.secrecy, book: document.book, number: document.number)
        }
    }
}
