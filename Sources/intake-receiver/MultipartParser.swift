import Foundation

/// A small multipart/form-data parser over a body held in memory (the receiver caps its size).
struct MultipartParser {
    struct Part {
        var name: String
        var filename: String?
        var contentType: String?
        var content: ArraySlice<UInt8>
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The boundary parameter of a `multipart/form-data; boundary=…` content type.
    static func boundary(fromContentType value: String) -> String? {
        let pieces = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let kind = pieces.first, kind.lowercased() == "multipart/form-data" else { return nil }
        for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("boundary=") {
            var boundary = String(piece.dropFirst("boundary=".count))
            if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 {
                boundary = String(boundary.dropFirst().dropLast())
            }
            return boundary.isEmpty || boundary.count > 70 ? nil : boundary
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) throws -> [Part] {
        let dashBoundary = Array("--\(boundary)".utf8)
        let delimiter = Array("\r\n--\(boundary)".utf8)
        guard let first = find(dashBoundary, in: body, from: 0) else {
            throw Failure(description: "multipart body has no boundary line")
        }
        var cursor = first + dashBoundary.count
        var parts: [Part] = []
        while true {
            // After a boundary: "--" ends the body, otherwise CRLF and a part follows.
            if body.count >= cursor + 2, body[cursor] == UInt8(ascii: "-"), body[cursor + 1] == UInt8(ascii: "-") {
                return parts
            }
            while cursor < body.count, body[cursor] == UInt8(ascii: " ") || body[cursor] == UInt8(ascii: "\t") { cursor += 1 }
            guard body.count >= cursor + 2, body[cursor] == 13, body[cursor + 1] == 10 else {
                throw Failure(description: "multipart boundary line is not followed by CRLF")
            }
            cursor += 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: body, from: cursor) else {
                throw Failure(description: "multipart part headers do not end")
            }
            let headerText = String(decoding: body[cursor..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find(delimiter, in: body, from: headerEnd + 2) else {
                throw Failure(description: "multipart part is not closed by a boundary (truncated body?)")
            }
            let contentEnd = max(contentStart, next)
            var part = Part(name: "", filename: nil, contentType: nil, content: body[contentStart..<contentEnd])
            for line in headerText.split(separator: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name == "content-disposition" {
                    part.name = parameter("name", in: value) ?? ""
                    part.filename = parameter("filename", in: value)
                } else if name == "content-type" {
                    part.contentType = value
                }
            }
            parts.append(part)
            cursor = next + delimiter.count
        }
    }

    private static func parameter(_ key: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            guard trimmed[..<equals].lowercased() == key else { continue }
            var result = String(trimmed[trimmed.index(after: equals)...])
            if result.hasPrefix("\""), result.hasSuffix("\""), result.count >= 2 {
                result = String(result.dropFirst().dropLast())
            }
            return result
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let firstByte = needle.first, haystack.count >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { hay -> Int? in
            needle.withUnsafeBufferPointer { ndl -> Int? in
                var i = start
                let last = hay.count - ndl.count
                while i <= last {
                    if hay[i] == firstByte {
                        var j = 1
                        while j < ndl.count, hay[i + j] == ndl[j] { j += 1 }
                        if j == ndl.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }
}
