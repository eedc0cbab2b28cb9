import Foundation

/// Paths the person types, and what a file is.
public enum LocalFiles {
    /// `$HOME` as a shell reads it, else the account's home directory.
    public static var home: String {
        ProcessInfo.processInfo.environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    }

    /// `~` and `~/...` as the home directory: `$HOME`, as a shell reads it.
    public static func expand(
        _ path: String, home: String = LocalFiles.home
    ) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        return path
    }

    /// A MIME type from the file's extension (what S3 would be told).
    public static func contentType(of file: URL) -> String {
        switch file.pathExtension.lowercased() {
        case "txt", "log": return "text/plain"
        case "md", "markdown": return "text/markdown"
        case "csv": return "text/csv"
        case "html", "htm": return "text/html"
        case "json": return "application/json"
        case "pdf": return "application/pdf"
        case "zip": return "application/zip"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "heic": return "image/heic"
        case "mp4": return "video/mp4"
        case "mov": return "video/quicktime"
        default: return "application/octet-stream"
        }
    }
}
