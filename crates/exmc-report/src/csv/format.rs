//! Number formatting for CmdStan CSV files.
//!
//! CmdStan prints with C++ stream defaults: `sig_figs` significant digits (6 unless
//! `sig_figs` is given) in `%g` style — fixed notation for exponents −5 < e < p, else
//! scientific `1.5e-07`, trailing zeros dropped. We offer that ([`Precision::SigFigs`])
//! and, by default, [`Precision::RoundTrip`]: the shortest decimal that reads back to
//! the identical `f64`, so that write → read is bit-exact.

/// How numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// Shortest representation that parses back to the same `f64` (our default).
    #[default]
    RoundTrip,
    /// `%g` with this many significant digits (1..=18), as CmdStan's `sig_figs`.
    SigFigs(u8),
}

/// Formats one value. Non-finite values are written as CmdStan writes them:
/// `nan`, `inf`, `-inf`.
pub fn format_f64(v: f64, precision: Precision) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf".into() } else { "-inf".into() };
    }
    match precision {
        Precision::RoundTrip => round_trip(v),
        Precision::SigFigs(p) => format_g(v, p.clamp(1, 18) as usize),
    }
}

fn round_trip(v: f64) -> String {
    let a = v.abs();
    // Rust's `{}` is shortest round-trip but never switches to an exponent; `{:e}` is
    // shortest round-trip in scientific form. Pick the readable one.
    if a == 0.0 || (1e-5..1e16).contains(&a) {
        format!("{v}")
    } else {
        format!("{v:e}")
    }
}

/// C `%.{p}g`: scientific when the decimal exponent is < −4 or ≥ p, else fixed;
/// trailing zeros (and a trailing point) removed; exponent with sign and ≥ 2 digits.
pub fn format_g(v: f64, p: usize) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{:.*e}", p - 1, v); // rounded mantissa, e.g. "1.23450e-7"
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if exp < -4 || exp >= p as i32 {
        let mant = strip_zeros(mant);
        let sign = if exp < 0 { '-' } else { '+' };
        format!("{mant}e{sign}{:02}", exp.abs())
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        strip_zeros(&format!("{v:.decimals$}")).to_string()
    }
}

fn strip_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Parses a CSV field as CmdStan and its readers do: decimal or scientific notation,
/// and `nan` / `inf` / `-inf` in any letter case (`NaN`, `Inf`, `-Infinity`).
pub fn parse_f64(s: &str) -> Option<f64> {
    let t = s.trim();
    if let Ok(v) = t.parse::<f64>() {
        return Some(v);
    }
    match t.to_ascii_lowercase().as_str() {
        "nan" | "-nan" | "+nan" => Some(f64::NAN),
        "inf" | "+inf" | "infinity" | "+infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g_format_matches_c() {
        // Expected strings are what printf("%.6g") prints.
        let cases = [
            (0.911297, "0.911297"),
            (-8.07514123, "-8.07514"),
            (1.0, "1"),
            (3.0, "3"),
            (100000.0, "100000"),
            (1234567.0, "1.23457e+06"),
            (0.0001, "0.0001"),
            (0.00001234, "1.234e-05"),
            (0.1 + 0.2, "0.3"),
            (999999.5, "1e+06"),
            (-1.5e-300, "-1.5e-300"),
        ];
        for (v, want) in cases {
            assert_eq!(format_g(v, 6), want, "{v}");
        }
        assert_eq!(format_g(std::f64::consts::PI, 3), "3.14");
        assert_eq!(format_f64(f64::NAN, Precision::SigFigs(6)), "nan");
        assert_eq!(format_f64(f64::NEG_INFINITY, Precision::RoundTrip), "-inf");
    }

    #[test]
    fn round_trip_is_exact() {
        let vals = [0.1 + 0.2, 1e-300, -2.2250738585072014e-308, 5e-324, 1.7976931348623157e308, 123456.789, -0.0, 3.0, 1e16, 9.99e15];
        for v in vals {
            let s = format_f64(v, Precision::RoundTrip);
            let back = parse_f64(&s).expect("parses");
            assert_eq!(back.to_bits(), v.to_bits(), "{v} -> {s}");
        }
        assert_eq!(format_f64(3.0, Precision::RoundTrip), "3");
    }

    #[test]
    fn parses_cmdstan_specials() {
        assert!(parse_f64("nan").is_some_and(f64::is_nan));
        assert_eq!(parse_f64("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64("Inf"), Some(f64::INFINITY));
        assert_eq!(parse_f64(" 1.5e-07 "), Some(1.5e-7));
        assert_eq!(parse_f64("abc"), None);
        assert_eq!(parse_f64(""), None);
    }
}
