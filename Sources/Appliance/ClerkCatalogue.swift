import IntakeCore

/// The Vietnamese sentence for every error code a clerk can meet at the front desk: what
/// happened and what to do, keyed by the stable `IntakeError.errorCode`. The error's own
/// `message` stays for the technician (CLI, journal); the screen and the speech hooks say this.
///
/// `ClerkCatalogueTests` fails if a code that can reach the screen has no entry here, or if a
/// sentence has a word that is not Vietnamese.
public enum ClerkCatalogue {
    /// Said for a code with no entry (a new code someone forgot to word): still Vietnamese.
    public static let fallback = "Có lỗi chưa rõ nguyên nhân — văn bản này chưa được vào số; báo người phụ trách kỹ thuật."

    /// The sentence for `code`, or `fallback`.
    public static func sentence(forCode code: String) -> String {
        errorSentences[code] ?? fallback
    }

    /// The message for any error as the clerk meets it.
    public static func message(for error: any Error) -> ClerkMessage {
        .failure(code: ErrorPayload(error).code)
    }

    /// Code → sentence. Scanner codes (`scanner.*`), pipeline codes (unprefixed, as the socket
    /// carries them), imaging, register, secrecy, OCR and the two codes `ErrorPayload` gives
    /// errors of other kinds.
    public static let errorSentences: [String: String] = [
        // MARK: scanner (ScanError.Code)
        "scanner.jammed": "Kẹt giấy — mở nắp máy quét, lấy giấy ra rồi bấm quét lại. Văn bản này chưa được vào số.",
        "scanner.noDocuments": "Khay giấy trống — đặt văn bản vào khay rồi bấm quét lại.",
        "scanner.coverOpen": "Nắp máy quét đang mở — đóng nắp lại rồi bấm quét lại.",
        "scanner.deviceBusy": "Máy quét đang bận — chờ một lát rồi bấm quét lại.",
        "scanner.ioError": "Máy quét không trả lời — kiểm tra dây cáp và nguồn điện rồi bấm quét lại. Văn bản này chưa được vào số.",
        "scanner.accessDenied": "Máy không được phép dùng máy quét — báo người phụ trách kỹ thuật.",
        "scanner.deviceGone": "Máy quét bị ngắt kết nối — kiểm tra dây cáp và nguồn điện rồi bấm quét lại. Văn bản này chưa được vào số.",
        "scanner.invalidOption": "Máy quét không nhận cài đặt quét — báo người phụ trách kỹ thuật kiểm tra cấu hình quét.",
        "scanner.unsupported": "Máy quét không làm được việc cấu hình yêu cầu — báo người phụ trách kỹ thuật.",
        "scanner.cancelled": "Đã dừng quét; văn bản này chưa được vào số — bấm quét lại khi sẵn sàng.",
        "scanner.outOfMemory": "Máy quét hết bộ nhớ — quét ít trang hơn mỗi lần rồi bấm quét lại.",
        "scanner.noDevice": "Không tìm thấy máy quét — bật máy quét, kiểm tra dây cáp rồi bấm quét lại.",
        "scanner.other": "Máy quét báo lỗi — báo người phụ trách kỹ thuật. Văn bản này chưa được vào số.",
        "scanner.doubleFeed": "Hai tờ giấy bị kéo cùng lúc — lấy giấy ra, tách từng tờ, xếp lại vào khay và bấm quét lại. Văn bản này chưa được vào số.",
        "scanner.feedFault": "Máy quét dừng khi đang kéo giấy — lấy giấy ra, xếp lại vào khay và bấm quét lại. Văn bản này chưa được vào số.",
        // MARK: pipeline (PipelineError.Code)
        "stopped": "Máy dừng giữa chừng khi đang quét; văn bản này chưa được vào số — bấm quét lại.",
        "allPagesBlank": "Mọi trang đều trắng — lật mặt giấy rồi bấm quét lại.",
        "noPages": "Không quét được trang nào — đặt văn bản vào khay rồi bấm quét lại.",
        "diskFull": "Máy hết chỗ lưu trữ — ngừng quét và báo người phụ trách kỹ thuật; các văn bản đã vào số vẫn an toàn.",
        "clockWrong": "Đồng hồ của máy bị sai — chưa quét, chưa cấp số; báo người phụ trách kỹ thuật chỉnh lại giờ.",
        "busy": "Máy đang quét văn bản khác — chờ xong rồi bấm quét lại.",
        "unknownProfile": "Nút quét này chưa được cài đặt đúng — báo người phụ trách kỹ thuật.",
        "noScanner": "Chưa có máy quét — kiểm tra dây cáp và nguồn điện của máy quét rồi bấm quét lại.",
        "digitisation": "Cài đặt quét không đủ tiêu chuẩn số hóa (ảnh màu, độ phân giải từ 200 điểm mỗi tấc Anh) — báo người phụ trách kỹ thuật.",
        // MARK: imaging (ImagingError.Code)
        "imaging.invalid-raster": "Không xử lý được trang vừa quét — bấm quét lại; nếu lặp lại, báo người phụ trách kỹ thuật.",
        "imaging.jpeg-failed": "Không nén được ảnh trang quét — bấm quét lại; nếu lặp lại, báo người phụ trách kỹ thuật.",
        "imaging.tiff-failed": "Không nén được ảnh trang quét — bấm quét lại; nếu lặp lại, báo người phụ trách kỹ thuật.",
        "imaging.write-failed": "Không ghi được tệp văn bản — văn bản này chưa được vào số; báo người phụ trách kỹ thuật.",
        "imaging.disk-full": "Máy hết chỗ lưu trữ — văn bản này chưa được vào số; ngừng quét và báo người phụ trách kỹ thuật.",
        "imaging.writer-state": "Không ghi được tệp văn bản — văn bản này chưa được vào số; bấm quét lại.",
        "imaging.font-failed": "Không vẽ được dấu ĐẾN lên văn bản (thiếu phông chữ) — báo người phụ trách kỹ thuật.",
        "imaging.unstampable": "Không đóng được dấu ĐẾN lên văn bản — báo người phụ trách kỹ thuật.",
        // MARK: register (RegistryError.Code)
        "register.clockWrong": "Đồng hồ của máy bị sai — không cấp số đến cho tới khi người phụ trách kỹ thuật chỉnh lại giờ.",
        "register.notFound": "Không tìm thấy số đến này trong sổ — kiểm tra lại số và sổ.",
        "register.alreadyVoided": "Số đến này đã bị hủy — không sửa được nữa.",
        "register.invalidField": "Thông tin nhập vào sổ không hợp lệ — kiểm tra lại rồi làm lại.",
        "register.storage": "Không ghi được sổ đăng ký — văn bản này chưa được vào số; báo người phụ trách kỹ thuật.",
        // The stamp's own code (was register.storage): the clerk reads the same sentence as before.
        "register.stamp": "Không ghi được sổ đăng ký — văn bản này chưa được vào số; báo người phụ trách kỹ thuật.",
        "register.integrity": "Sổ đăng ký có dấu hiệu bị sửa ngoài phần mềm — ngừng quét và báo người phụ trách kỹ thuật.",
        "register.invalidState": "Văn bản này không sửa được nữa (đã gửi đi hoặc đã hết thời gian chờ) — báo người phụ trách.",
        "register.identity": "Sổ đăng ký trên máy không khớp với sổ trước đây — ngừng quét và báo người phụ trách kỹ thuật.",
        "register.duplicate": "Số đến này đã có trong sổ — kiểm tra lại sổ giấy.",
        "register.outOfOrder": "Số đến và thời gian đến không cùng thứ tự với sổ — kiểm tra lại sổ giấy.",
        "register.newerSchema": "Sổ đăng ký thuộc phiên bản phần mềm mới hơn — báo người phụ trách kỹ thuật.",
        // MARK: secrecy (SecrecyError.Code)
        "secrecy.keyMissing": "Máy chưa có khóa mã hóa văn bản mật — không quét văn bản mật; báo người phụ trách kỹ thuật.",
        "secrecy.keyUnsafe": "Khóa mã hóa văn bản mật không an toàn — không quét văn bản mật; báo người phụ trách kỹ thuật.",
        "secrecy.sealedFileDamaged": "Tệp văn bản mật bị hỏng — báo người phụ trách kỹ thuật.",
        "secrecy.storage": "Không lưu được văn bản mật — văn bản này chưa được vào số; báo người phụ trách kỹ thuật.",
        "secrecy.notAllowed": "Độ mật này không dùng được ở đây — kiểm tra lại độ mật của văn bản.",
        "secrecy.windowClosed": "Đã hết thời gian chờ trước khi gửi — không đổi độ mật được nữa; báo người phụ trách.",
        "secrecy.nothingToCorrect": "Chưa có văn bản nào vừa vào sổ để đổi độ mật.",
        "secrecy.pagesNotKept": "Máy này không giữ bản quét của văn bản mật nên không đưa được văn bản sang sổ thường — quét lại bản giấy như văn bản mới.",
        // MARK: OCR
        "ocr.failed": "Không đọc được chữ trên trang — văn bản vẫn được vào số; điền thông tin vào sổ bằng tay.",
        // MARK: other errors (ErrorPayload)
        "config.invalid": "Cấu hình của máy có lỗi — báo người phụ trách kỹ thuật.",
        "internal": fallback,
    ]
}
