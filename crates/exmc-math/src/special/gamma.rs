//! Log-gamma, digamma, trigamma, log-beta and log-binomial-coefficient.
//!
//! * `log_gamma(x) = log |Γ(x)|` (musl's `lgamma` through the `libm` crate,
//!   ≤ 1 ulp-ish for x > 0).
//! * `digamma(x) = ψ(x) = Γ'(x)/Γ(x)`: recurrence `ψ(x) = ψ(x+1) − 1/x` up to
//!   `x ≥ 10`, then the asymptotic series
//!   `ψ(x) ≈ ln x − 1/(2x) − Σ B₂ₖ / (2k x²ᵏ)`; reflection
//!   `ψ(1−x) − π cot(πx)` for `x < 0`.
//! * `trigamma(x) = ψ'(x)`: recurrence `ψ'(x) = ψ'(x+1) + 1/x²`, then
//!   `ψ'(x) ≈ 1/x + 1/(2x²) + Σ B₂ₖ / x²ᵏ⁺¹`.
//! * `lbeta(a, b) = log B(a, b)`: for large arguments the Stirling form with
//!   the correction `δ(x) = log Γ(x) − (x − ½) ln x + x − ½ ln 2π` so the large
//!   log-gamma values do not cancel (as Stan Math's `lbeta`).
//! * `lchoose(n, k) = log C(n, k) = −log(n+1) − lbeta(n−k+1, k+1)`.
//!
//! All computed in `f64` (an `f32` argument is widened, the result rounded).

use exmc_core::Real;

const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// `log Γ(x)` in f64 (log of the absolute value for negative non-integers).
#[inline]
pub fn lgamma_f64(x: f64) -> f64 {
    libm::lgamma(x)
}

/// `log Γ(x)`.
#[inline]
pub fn log_gamma<T: Real>(x: T) -> T {
    T::c(lgamma_f64(x.f64()))
}

/// ψ(x) in f64.
pub fn digamma_f64(mut x: f64) -> f64 {
    if x.is_nan() || x == f64::NEG_INFINITY {
        return f64::NAN;
    }
    if x == f64::INFINITY {
        return f64::INFINITY;
    }
    let mut acc = 0.0;
    if x <= 0.0 {
        if x == x.floor() {
            return f64::NAN;
        }
        // ψ(x) = ψ(1 − x) − π / tan(πx)
        let r = std::f64::consts::PI / (std::f64::consts::PI * x).tan();
        acc -= r;
        x = 1.0 - x;
    }
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let inv = 1.0 / x;
    let z = inv * inv;
    // Bernoulli series B_2k/(2k): 1/12, -1/120, 1/252, -1/240, 1/132, -691/32760, 1/12
    let s = z
        * (1.0 / 12.0
            - z * (1.0 / 120.0
                - z * (1.0 / 252.0
                    - z * (1.0 / 240.0 - z * (1.0 / 132.0 - z * (691.0 / 32760.0 - z / 12.0))))));
    acc + x.ln() - 0.5 * inv - s
}

/// ψ(x) = d/dx log Γ(x).
#[inline]
pub fn digamma<T: Real>(x: T) -> T {
    T::c(digamma_f64(x.f64()))
}

/// ψ'(x) in f64 (x > 0; reflection for x < 0).
pub fn trigamma_f64(mut x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        if x == x.floor() {
            return f64::INFINITY;
        }
        // ψ'(1−x) + ψ'(x) = π² / sin²(πx)
        let s = (std::f64::consts::PI * x).sin();
        return -trigamma_f64(1.0 - x) + std::f64::consts::PI * std::f64::consts::PI / (s * s);
    }
    let mut acc = 0.0;
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let z = inv * inv;
    // B_2k / x^(2k+1): 1/6, -1/30, 1/42, -1/30, 5/66, -691/2730, 7/6
    let s = inv
        * z
        * (1.0 / 6.0
            - z * (1.0 / 30.0
                - z * (1.0 / 42.0
                    - z * (1.0 / 30.0 - z * (5.0 / 66.0 - z * (691.0 / 2730.0 - z * 7.0 / 6.0))))));
    acc + inv + 0.5 * z + s
}

/// ψ'(x).
#[inline]
pub fn trigamma<T: Real>(x: T) -> T {
    T::c(trigamma_f64(x.f64()))
}

/// ψ''(x) (tetragamma) in f64: the recurrence `ψ''(x) = ψ''(x+1) − 2/x³`
/// up to `x ≥ 10`, then the asymptotic series
/// (the derivative of trigamma's Bernoulli series, terms listed below); reflection
/// `ψ''(1−x) − ψ''(x) = 2π³ cos(πx)/sin³(πx)` for `x ≤ 0`.
pub fn tetragamma_f64(mut x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x <= 0.0 {
        if x == x.floor() {
            return f64::NAN;
        }
        let pi = std::f64::consts::PI;
        let s = (pi * x).sin();
        return tetragamma_f64(1.0 - x) - 2.0 * pi * pi * pi * (pi * x).cos() / (s * s * s);
    }
    let mut acc = 0.0;
    while x < 10.0 {
        acc -= 2.0 / (x * x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let z = inv * inv;
    // d/dx of trigamma's series: −1/x² − 1/x³ − 1/(2x⁴) + 1/(6x⁶) − 1/(6x⁸) + 3/(10x¹⁰) − 5/(6x¹²) + 691/(210x¹⁴)
    let tail = z
        * z
        * (-0.5 + z * (1.0 / 6.0 - z * (1.0 / 6.0 - z * (3.0 / 10.0 - z * (5.0 / 6.0 - z * 691.0 / 210.0)))));
    acc - z - z * inv + tail
}

/// ψ''(x).
#[inline]
pub fn tetragamma<T: Real>(x: T) -> T {
    T::c(tetragamma_f64(x.f64()))
}

/// Stirling correction `δ(x) = log Γ(x) − (x − ½) ln x + x − ½ ln 2π`, x ≥ 10.
fn stirling_delta(x: f64) -> f64 {
    let inv = 1.0 / x;
    let z = inv * inv;
    inv * (1.0 / 12.0
        - z * (1.0 / 360.0
            - z * (1.0 / 1260.0 - z * (1.0 / 1680.0 - z * (1.0 / 1188.0 - z * 691.0 / 360360.0)))))
}

/// `log B(a, b)` in f64, `a, b > 0`.
pub fn lbeta_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        return f64::NAN;
    }
    let (x, y) = if a < b { (a, b) } else { (b, a) }; // x ≤ y
    if x >= 10.0 {
        // ½ ln 2π − ½ ln s + (x − ½) ln(x/s) + (y − ½) ln(y/s) + δ(x) + δ(y) − δ(s)
        let s = x + y;
        HALF_LN_2PI - 0.5 * y.ln()
            + (x - 0.5) * (-(y / x).ln_1p())
            + y * (-(x / y).ln_1p())
            + stirling_delta(x)
            + stirling_delta(y)
            - stirling_delta(s)
    } else if y >= 10.0 {
        // log Γ(y) − log Γ(x + y) by Stirling, log Γ(x) directly.
        let s = x + y;
        let ratio =
            -(s - 0.5) * (x / y).ln_1p() - x * y.ln() + x + stirling_delta(y) - stirling_delta(s);
        lgamma_f64(x) + ratio
    } else {
        lgamma_f64(x) + lgamma_f64(y) - lgamma_f64(x + y)
    }
}

/// `log B(a, b)`.
#[inline]
pub fn lbeta<T: Real>(a: T, b: T) -> T {
    T::c(lbeta_f64(a.f64(), b.f64()))
}

/// `log C(n, k)` for real `0 ≤ k ≤ n`.
#[inline]
pub fn lchoose_f64(n: f64, k: f64) -> f64 {
    if k == 0.0 || k == n {
        return 0.0;
    }
    -(n + 1.0).ln() - lbeta_f64(n - k + 1.0, k + 1.0)
}

/// `log C(n, k)`.
#[inline]
pub fn lchoose<T: Real>(n: T, k: T) -> T {
    T::c(lchoose_f64(n.f64(), k.f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn digamma_known_values() {
        // ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ(x+1) = ψ(x) + 1/x
        let g = 0.577_215_664_901_532_9;
        assert!(close(digamma_f64(1.0), -g, 1e-15));
        assert!(close(
            digamma_f64(0.5),
            -g - 2.0 * std::f64::consts::LN_2,
            1e-15
        ));
        for &x in &[0.013, 0.7, 3.3, 12.5, 123.0, 1e6] {
            assert!(
                close(digamma_f64(x + 1.0), digamma_f64(x) + 1.0 / x, 1e-13),
                "{x}"
            );
        }
        assert!(close(digamma_f64(-0.5), digamma_f64(0.5) + 2.0, 1e-13));
    }

    #[test]
    fn digamma_is_derivative_of_lgamma() {
        for &x in &[0.05, 0.9, 2.5, 17.0, 400.0] {
            let h = 1e-6 * x;
            let fd = (lgamma_f64(x + h) - lgamma_f64(x - h)) / (2.0 * h);
            assert!(close(digamma_f64(x), fd, 1e-7), "{x}");
            let fd2 = (digamma_f64(x + h) - digamma_f64(x - h)) / (2.0 * h);
            assert!(close(trigamma_f64(x), fd2, 1e-7), "{x}");
        }
        // ψ'(1) = π²/6
        assert!(close(
            trigamma_f64(1.0),
            std::f64::consts::PI.powi(2) / 6.0,
            1e-15
        ));
    }

    #[test]
    fn lbeta_matches_lgamma_and_is_stable() {
        for &(a, b) in &[
            (0.5, 0.5),
            (2.0, 3.0),
            (12.0, 0.3),
            (0.3, 12.0),
            (15.0, 40.0),
            (1e3, 1e3),
            (1.5, 1e6),
        ] {
            let direct = lgamma_f64(a) + lgamma_f64(b) - lgamma_f64(a + b);
            assert!(
                (lbeta_f64(a, b) - direct).abs() < 1e-9 * direct.abs().max(1.0),
                "{a} {b}"
            );
        }
        // B(1, n) = 1/n exactly, large n where lgamma differences lose digits.
        let v = lbeta_f64(1.0, 1e10);
        assert!((v + 1e10f64.ln()).abs() < 1e-14 * 23.0, "{v}");
        let v = lbeta_f64(20.0, 1e10); // = lgamma(20) - 20 ln(1e10) + O(1e-8)
        let approx = lgamma_f64(20.0) - 20.0 * 1e10f64.ln() - 190.0 / 1e10;
        assert!((v - approx).abs() < 1e-12 * approx.abs(), "{v} {approx}");
        // log C(10, 3) = log 120
        assert!(close(lchoose_f64(10.0, 3.0), 120f64.ln(), 1e-14));
    }
}
