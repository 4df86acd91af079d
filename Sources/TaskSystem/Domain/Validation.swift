// Validation.swift — the text rules of commands: trimming and length limits.

// MARK: - Validation

/// Text validation shared by the commands.
///
/// Text is trimmed of leading and trailing whitespace (Unicode `Character.isWhitespace`, which
/// includes newlines) and then measured in `Character`s — user-perceived characters, so an
/// emoji or an accented letter counts once, as a form field would count it.
public enum Validation {
    // MARK: Limits

    /// The longest title, in characters.
    public static let maxTitleLength = 200
    /// The longest description, in characters.
    public static let maxDescriptionLength = 10_000
    /// The longest comment, in characters.
    public static let maxCommentLength = 5_000
    /// The longest user name, in characters.
    public static let maxNameLength = 100
    /// The longest e-mail address, in characters.
    public static let maxEmailLength = 254

    // MARK: Rules

    /// The trimmed title, or ``DomainError/invalidTitle(_:)``: non-empty, at most 200 characters.
    public static func title(_ raw: String) throws(DomainError) -> String {
        do throws(TextProblem) {
            return try text(raw, limit: maxTitleLength, allowEmpty: false)
        } catch {
            throw .invalidTitle(error)
        }
    }

    /// The trimmed description (may be empty), or ``DomainError/invalidDescription(_:)``.
    public static func description(_ raw: String) throws(DomainError) -> String {
        do throws(TextProblem) {
            return try text(raw, limit: maxDescriptionLength, allowEmpty: true)
        } catch {
            throw .invalidDescription(error)
        }
    }

    /// The trimmed comment body, or ``DomainError/invalidComment(_:)``: non-empty, bounded.
    public static func commentBody(_ raw: String) throws(DomainError) -> String {
        do throws(TextProblem) {
            return try text(raw, limit: maxCommentLength, allowEmpty: false)
        } catch {
            throw .invalidComment(error)
        }
    }

    /// The trimmed user name, or ``DomainError/invalidName(_:)``: non-empty, bounded.
    public static func name(_ raw: String) throws(DomainError) -> String {
        do throws(TextProblem) {
            return try text(raw, limit: maxNameLength, allowEmpty: false)
        } catch {
            throw .invalidName(error)
        }
    }

    /// The trimmed e-mail address, or ``DomainError/invalidEmail(_:)``: bounded, with one `@`
    /// that is neither first nor last.
    public static func email(_ raw: String) throws(DomainError) -> String {
        let address: String
        do throws(TextProblem) {
            address = try text(raw, limit: maxEmailLength, allowEmpty: false)
        } catch {
            throw .invalidEmail(error)
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { throw .invalidEmail(.malformed) }
        return address
    }

    // MARK: Trimming and measuring

    /// `raw` trimmed, or the problem with it.
    static func text(_ raw: String, limit: Int, allowEmpty: Bool) throws(TextProblem) -> String {
        let trimmed = trimmingWhitespace(raw)
        if trimmed.isEmpty && !allowEmpty { throw .empty }
        // A character is at least one UTF-8 byte: short text needs no character count.
        if trimmed.utf8.count > limit {
            let length = trimmed.count
            if length > limit { throw .tooLong(length: length, limit: limit) }
        }
        return trimmed
    }

    /// `text` without leading and trailing whitespace; `text` itself when there is none.
    static func trimmingWhitespace(_ text: String) -> String {
        guard let first = text.first, let last = text.last else { return text }
        if !first.isWhitespace && !last.isWhitespace { return text }
        var slice = Substring(text)
        while let character = slice.first, character.isWhitespace { slice.removeFirst() }
        while let character = slice.last, character.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
