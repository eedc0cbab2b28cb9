import Foundation
import Testing

@testable import HandsetTUI

/// Our QR encoder against an independent one: `Snapshots/qr-reference.txt` holds the module matrices that the
/// Python `qrcode` package produces for the same texts at level M with each mask forced (`#` dark, `.` light).
@Suite struct QRCodeTests {
    static let texts = [
        "short": "otpauth://totp/Handset:tina?secret=JBSWY3DPEHPK3PXP&issuer=Handset",
        "long":
            "otpauth://totp/Handset:a-very-long-user-name%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DP&issuer=Handset&algorithm=SHA1&digits=6&period=30",
    ]

    static func references() throws -> [(name: String, mask: Int, version: Int, rows: [String])] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots/qr-reference.txt")
        var result: [(String, Int, Int, [String])] = []
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 3 {
                result.append((String(parts[0]), Int(parts[1]) ?? -1, Int(parts[2]) ?? -1, []))
            } else if !result.isEmpty {
                result[result.count - 1].3.append(String(line))
            }
        }
        return result
    }

    @Test func matchesAnIndependentEncoderForEveryMask() throws {
        let references = try Self.references()
        #expect(references.count == 16)
        for reference in references {
            let code = try #require(QRCode(text: Self.texts[reference.name] ?? "", mask: reference.mask))
            #expect(code.version == reference.version, "\(reference.name) mask \(reference.mask)")
            let rows = code.modules.map { String($0.map { $0 ? "#" : "." }) }
            #expect(rows == reference.rows, "\(reference.name) mask \(reference.mask)")
        }
    }

    @Test func halfBlocksDrawTwoRowsPerLineInsideAQuietZone() throws {
        let code = try #require(QRCode(text: "otpauth://totp/Handset:tina?secret=JBSWY3DPEHPK3PXP&issuer=Handset"))
        let lines = code.halfBlockLines
        #expect(lines.count == (code.size + 4 + 1) / 2)
        #expect(lines.allSatisfy { $0.count == code.size + 4 })
        #expect(lines[0].allSatisfy { $0 == " " }, "the quiet zone is light")
        #expect(lines[1].hasPrefix("  █▀▀▀▀▀█"), "the top-left finder pattern: a dark row over a dark-light-dark row")
    }

    @Test func tooLongTextIsRefused() {
        #expect(QRCode(text: String(repeating: "x", count: 300)) == nil)
    }
}
