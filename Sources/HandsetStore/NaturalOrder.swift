import Foundation

/// Text in the order people expect: numbers inside it by their value (`Bulk task 2` before `Bulk task 10`), letters
/// without regard to case (`apple` beside `Apple`, before `banana`).
///
/// Compares UTF-8 bytes: fast enough to build an index over 100k records. Letters outside ASCII compare by their
/// bytes (so `é` sorts after `z`), as before.
public enum NaturalOrder {
    public static func compare(_ lhs: String, _ rhs: String) -> ComparisonResult {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if isDigit(a[i]), isDigit(b[j]) {
                // Two runs of digits: the longer number (leading zeros aside) is larger, else the digits decide.
                var endA = i
                while endA < a.count, isDigit(a[endA]) { endA += 1 }
                var endB = j
                while endB < b.count, isDigit(b[endB]) { endB += 1 }
                var startA = i
                while startA < endA - 1, a[startA] == 0x30 { startA += 1 }
                var startB = j
                while startB < endB - 1, b[startB] == 0x30 { startB += 1 }
                let lengthA = endA - startA
                let lengthB = endB - startB
                if lengthA != lengthB { return lengthA < lengthB ? .orderedAscending : .orderedDescending }
                for offset in 0..<lengthA where a[startA + offset] != b[startB + offset] {
                    return a[startA + offset] < b[startB + offset] ? .orderedAscending : .orderedDescending
                }
                i = endA
                j = endB
                continue
            }
            let x = folded(a[i])
            let y = folded(b[j])
            if x != y { return x < y ? .orderedAscending : .orderedDescending }
            i += 1
            j += 1
        }
        if i < a.count { return .orderedDescending }
        if j < b.count { return .orderedAscending }
        // Equal but for case or leading zeros: the bytes decide, so that the order is total.
        return lhs == rhs ? .orderedSame : (lhs < rhs ? .orderedAscending : .orderedDescending)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func folded(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
}
