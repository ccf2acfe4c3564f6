//! Error function, the normal CDF in log space, and its inverse.
//!
//! * `erf`, `erfc`: musl's implementations via the `libm` crate (≈ 1 ulp).
//! * `log_erfc(u)`: `ln erfc(u)`; for `u ≥ 25` (where `erfc` nears underflow)
//!   the asymptotic series `erfc(u) = e^{−u²}/(u√π) · Σ (−1)ᵏ (2k−1)!! / (2u²)ᵏ`.
//! * `log_phi(z) = log Φ(z)`: `log1p(−½ erfc(z/√2))` for `z ≥ 0`,
//!   `ln(½ erfc(−z/√2))` below, so both tails are accurate (relative error
//!   ≈ 1e-15 at `z = −30`, finite down to `z = −1e150`).
//! * `log_phi_ratio(z) = (log Φ(z), φ(z)/Φ(z))`: the derivative of `log Φ`
//!   (the inverse Mills ratio), computed without cancellation in the tail.
//! * `inv_phi(p) = Φ⁻¹(p)`: Abramowitz & Stegun 26.2.23 start, then Newton
//!   steps on `log Φ(x) = log p` to full precision.

use super::logexp::log1m;
use exmc_core::Real;

const SQRT_2: f64 = std::f64::consts::SQRT_2;
const LN_SQRT_PI: f64 = 0.572_364_942_924_700_1;
const LN_2: f64 = std::f64::consts::LN_2;
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Error function.
#[inline]
pub fn erf<T: Real>(x: T) -> T {
    T::c(libm::erf(x.f64()))
}

/// Complementary error function `1 − erf(x)`.
#[inline]
pub fn erfc<T: Real>(x: T) -> T {
    T::c(libm::erfc(x.f64()))
}

/// Asymptotic sum `Σ (−1)ᵏ (2k−1)!! / (2u²)ᵏ` (u ≥ 25: 10 terms ≈ 1e-25).
fn erfc_asymptotic_sum(u: f64) -> f64 {
    let w = 1.0 / (2.0 * u * u);
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..12 {
        term *= -((2 * k - 1) as f64) * w;
        sum += term;
    }
    sum
}

/// `ln erfc(u)` in f64.
pub fn log_erfc_f64(u: f64) -> f64 {
    if u < 25.0 {
        libm::erfc(u).ln()
    } else if u.is_infinite() {
        f64::NEG_INFINITY
    } else {
        -u * u - u.ln() - LN_SQRT_PI + erfc_asymptotic_sum(u).ln()
    }
}

/// `ln erfc(u)`.
#[inline]
pub fn log_erfc<T: Real>(u: T) -> T {
    T::c(log_erfc_f64(u.f64()))
}

/// `(log Φ(z), φ(z)/Φ(z))` in f64.
pub fn log_phi_ratio_f64(z: f64) -> (f64, f64) {
    if z.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if z >= 0.0 {
        let q = 0.5 * libm::erfc(z / SQRT_2);
        let lp = log1m(q);
        let log_dens = -0.5 * z * z - HALF_LN_2PI;
        (lp, (log_dens - lp).exp())
    } else {
        let u = -z / SQRT_2;
        if u < 25.0 {
            let lp = libm::erfc(u).ln() - LN_2;
            let log_dens = -0.5 * z * z - HALF_LN_2PI;
            (lp, (log_dens - lp).exp())
        } else if u.is_infinite() {
            (f64::NEG_INFINITY, f64::INFINITY)
        } else {
            let s = erfc_asymptotic_sum(u);
            let lp = -u * u - u.ln() - LN_SQRT_PI + s.ln() - LN_2;
            // φ(z)/Φ(z) = e^{−u²}/√(2π) / (e^{−u²} s / (2u√π)) = √2 u / s
            (lp, SQRT_2 * u / s)
        }
    }
}

/// `log Φ(z)`, the standard normal log CDF.
#[inline]
pub fn log_phi<T: Real>(z: T) -> T {
    T::c(log_phi_ratio_f64(z.f64()).0)
}

/// `(log Φ(z), d log Φ(z)/dz)`.
#[inline]
pub fn log_phi_ratio<T: Real>(z: T) -> (T, T) {
    let (a, b) = log_phi_ratio_f64(z.f64());
    (T::c(a), T::c(b))
}

/// Standard normal CDF Φ(z).
#[inline]
pub fn phi<T: Real>(z: T) -> T {
    T::c(0.5 * libm::erfc(-z.f64() / SQRT_2))
}

/// Φ⁻¹(p) in f64 (`-inf` at 0, `inf` at 1, NaN outside [0, 1]).
pub fn inv_phi_f64(p: f64) -> f64 {
    if !(0.0..=1.0).contains(&p) || p.is_nan() {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    if p > 0.5 {
        return -inv_phi_f64(1.0 - p);
    }
    // A&S 26.2.23 (|error| < 4.5e-4) for the lower half.
    let t = (-2.0 * p.ln()).sqrt();
    let mut x = -(t
        - (2.515517 + 0.802853 * t + 0.010328 * t * t)
            / (1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
    let lp = p.ln();
    for _ in 0..50 {
        let (l, r) = log_phi_ratio_f64(x);
        let step = (l - lp) / r;
        x -= step;
        if step.abs() <= 1e-15 * x.abs().max(1.0) {
            break;
        }
    }
    x
}

/// Φ⁻¹(p), the standard normal quantile.
#[inline]
pub fn inv_phi<T: Real>(p: T) -> T {
    T::c(inv_phi_f64(p.f64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_phi_lower_tail_matches_reference() {
        // SciPy norm.logcdf(-30) (also in the distributions fixture).
        let v = log_phi_ratio_f64(-30.0).0;
        assert!((v - -454.32124395634327).abs() < 1e-12 * 454.0, "{v}");
        // Continuity across the asymptotic switch (u = 25, z ≈ −35.36).
        for &u in &[25.0f64, 26.0] {
            let series = -u * u - u.ln() - LN_SQRT_PI + erfc_asymptotic_sum(u).ln();
            assert!((series - libm::erfc(u).ln()).abs() < 1e-13 * u * u, "{u}");
        }
        // Far tail: log Φ(z) ≈ −z²/2 − ln(−z) − ½ ln 2π.
        let z: f64 = -1e6;
        let approx = -0.5 * z * z - (-z).ln() - HALF_LN_2PI;
        assert!((log_phi_ratio_f64(z).0 - approx).abs() < 1e-6);
        assert!((log_phi_ratio_f64(z).1 - 1e6).abs() < 1e-3);
    }

    #[test]
    fn log_phi_ratio_is_derivative() {
        for &z in &[-40.0, -20.0, -3.0, -0.2, 0.0, 1.5, 6.0, 30.0] {
            let h = 1e-6 * f64::max(1.0, f64::abs(z));
            let fd = (log_phi_ratio_f64(z + h).0 - log_phi_ratio_f64(z - h).0) / (2.0 * h);
            let an = log_phi_ratio_f64(z).1;
            assert!(
                (fd - an).abs() <= 1e-6 * an.abs().max(1e-300) + 1e-300,
                "{z}: {fd} {an}"
            );
        }
    }

    #[test]
    fn inv_phi_round_trips() {
        for &p in &[
            1e-300,
            1e-20,
            1e-5,
            0.01,
            0.3,
            0.5,
            0.77,
            0.999,
            1.0 - 1e-12,
        ] {
            let x = inv_phi_f64(p);
            let back = log_phi_ratio_f64(x).0.exp();
            assert!(
                (back - p).abs() <= 1e-13 * p.min(1.0 - p).max(1e-300) + 1e-300
                    || (back / p - 1.0).abs() < 1e-13,
                "{p} {x} {back}"
            );
        }
        assert!(inv_phi_f64(0.5).abs() < 1e-15);
        assert!(inv_phi_f64(-0.1).is_nan());
        assert!((inv_phi_f64(0.975) - 1.959963984540054).abs() < 1e-14);
    }
}
