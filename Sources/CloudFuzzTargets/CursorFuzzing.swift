import Foundation
import HandsetFuzzing
import HandsetWire

@testable import HandsetCloud

/// List and change-feed cursors: what decodes re-encodes to a cursor that decodes to the same position.
enum CursorFuzzing {
    static let target = FuzzTarget("cursor") { data in
        let text = String(decoding: data, as: UTF8.self)
        if let cursor = RecordCursor.decode(text) {
            let again = RecordCursor.decode(cursor.encoded)
            FuzzCheck.that(again?.sort == cursor.sort && again?.descending == cursor.descending, "cursor round trip")
            FuzzCheck.that(again?.position.id == cursor.position.id, "cursor id round trip")
        }
        if let sequence = ChangeCursor.decode(text) {
            FuzzCheck.that(ChangeCursor.decode(ChangeCursor.encode(sequence)) == sequence, "change cursor round trip")
        }
    }
}
