// DecimalText.swift — numbers as text, the same on every machine: no locale, no NumberFormatter.

import Foundation  // log10 and floor only; never NumberFormatter (it follows the locale)

// MARK: - Decimal text

/// Deterministic decimal formatting: `.` as the decimal point, `,` between thousands, `-` for
/// negatives, whatever the user's locale. Rounding is half away from zero on the binary value
/// (`2.675` may print as `2.67`, as with `printf`).
enum DecimalText {
    /// `value` with exactly `decimals` digits after the point (`trimZeros` drops trailing zeros
    /// and a bare point), thousands grouped when `grouping`. Magnitudes that do not fit in 64
    /// bits after scaling fall back to ``scientific(_:significant:)``.
    static func fixed(_ value: Double, decimals: Int, grouping: Bool = true, trimZeros: Bool = false) -> String {
        precondition(decimals >= 0 && decimals <= 15, "DecimalText: 0…15 decimals")
        guard value.isFinite else { return value.isNaN ? "nan" : value < 0 ? "-inf" : "inf" }
        let factor = power10(decimals)
        let scaled = (abs(value) * factor).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return scientific(value, significant: 4) }
        let digits = UInt64(scaled)
        let unit = UInt64(factor)
        var integer = String(digits / unit)
        if grouping { integer = grouped(integer) }
        var fraction = ""
        if decimals > 0 {
            let raw = String(digits % unit)
            fraction = String(repeating: "0", count: decimals - raw.count) + raw
            if trimZeros { while fraction.last == "0" { fraction.removeLast() } }
        }
        let sign = value < 0 && digits != 0 ? "-" : ""
        return sign + integer + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// `value` rounded to `significant` significant digits, trailing zeros trimmed
    /// (`0.31416` → `0.314`, `1.2` → `1.2`, `5523.4` → `5,523` with 4).
    static func significant(_ value: Double, _ significant: Int, grouping: Bool = true) -> String {
        fixed(value, decimals: decimals(for: value, significant: significant), grouping: grouping, trimZeros: true)
    }

    /// The decimals that show `significant` significant digits of `value` (0 for large values).
    static func decimals(for value: Double, significant: Int) -> Int {
        guard value.isFinite, value != 0 else { return 0 }
        let magnitude = Int(floor(log10(abs(value))))
        return min(15, max(0, significant - 1 - magnitude))
    }

    /// `1.235e+07`: a mantissa with `significant` digits and a signed two-digit exponent.
    static func scientific(_ value: Double, significant: Int) -> String {
        guard value.isFinite, value != 0 else { return fixed(value, decimals: 0) }
        var exponent = Int(floor(log10(abs(value))))
        var mantissa = value / pow10(exponent)
        // Rounding may carry into a new digit (9.9996e3 → 10.000e3).
        let decimals = max(0, significant - 1)
        if abs((mantissa * power10(decimals)).rounded(.toNearestOrAwayFromZero)) >= 10 * power10(decimals) {
            exponent += 1
            mantissa = value / pow10(exponent)
        }
        let digits = String(abs(exponent))
        return fixed(mantissa, decimals: decimals, grouping: false) + "e" + (exponent < 0 ? "-" : "+")
            + (digits.count < 2 ? "0" + digits : digits)
    }

    /// `"1234567"` → `"1,234,567"`.
    static func grouped(_ digits: String) -> String {
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return out
    }

    // MARK: Powers of ten

    private static func power10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func pow10(_ exponent: Int) -> Double {
        exponent >= 0 ? power10(exponent) : 1 / power10(-exponent)
    }
}
