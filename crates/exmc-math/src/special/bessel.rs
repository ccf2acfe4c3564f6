//! Modified Bessel functions of the first kind, in log space, for von Mises.
//!
//! * `x < 50`: the power series `I_ν(x) = Σₖ (x/2)^{2k+ν} / (k! Γ(k+ν+1))`
//!   (all terms positive, so no cancellation).
//! * `x ≥ 50`: the asymptotic expansion (A&S 9.7.1)
//!   `I_ν(x) ≈ eˣ/√(2πx) · Σₖ (−1)ᵏ Πⱼ₌₁ᵏ (4ν² − (2j−1)²) / (k! (8x)ᵏ)`,
//!   whose terms are below 1e-17 well before they start growing.
//!
//! `log_bessel_i0(x)` and `bessel_i1_over_i0(x) = I₁(x)/I₀(x) = d log I₀ / dx`.

use exmc_core::Real;

const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// `(log I₀(x), log I₁(x))` for `x ≥ 0` (f64).
fn log_i0_i1(x: f64) -> (f64, f64) {
    if x < 50.0 {
        series(x)
    } else {
        asymptotic(x)
    }
}

fn series(x: f64) -> (f64, f64) {
    {
        let q = 0.25 * x * x;
        let (mut t0, mut s0) = (1.0, 1.0);
        let (mut t1, mut s1) = (1.0, 1.0); // I₁ = (x/2) Σ q^k / (k!(k+1)!)
        for k in 1..500 {
            let kf = k as f64;
            t0 *= q / (kf * kf);
            t1 *= q / (kf * (kf + 1.0));
            s0 += t0;
            s1 += t1;
            if t0 < 1e-17 * s0 && t1 < 1e-17 * s1 {
                break;
            }
        }
        (s0.ln(), (0.5 * x).ln() + s1.ln())
    }
}

fn asymptotic(x: f64) -> (f64, f64) {
    {
        let asym = |nu2: f64| {
            let mut term = 1.0;
            let mut sum = 1.0;
            for k in 1..40 {
                let j = (2 * k - 1) as f64;
                term *= -(nu2 - j * j) / (k as f64 * 8.0 * x);
                sum += term;
                if term.abs() < 1e-17 * sum {
                    break;
                }
            }
            sum
        };
        let base = x - 0.5 * x.ln() - HALF_LN_2PI;
        (base + asym(0.0).ln(), base + asym(4.0).ln())
    }
}

/// `log I₀(x)` (even in `x`).
#[inline]
pub fn log_bessel_i0<T: Real>(x: T) -> T {
    T::c(log_i0_i1(x.f64().abs()).0)
}

/// `I₁(x) / I₀(x)`, the derivative of `log I₀(x)` (odd in `x`).
#[inline]
pub fn bessel_i1_over_i0<T: Real>(x: T) -> T {
    let xf = x.f64();
    if xf == 0.0 {
        return T::zero();
    }
    let (l0, l1) = log_i0_i1(xf.abs());
    T::c((l1 - l0).exp() * xf.signum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // I₀(1) = 1.2660658777520082, I₁(1) = 0.5651591039924851
        assert!((log_bessel_i0(1.0f64) - 1.2660658777520082f64.ln()).abs() < 1e-15);
        assert!(
            (bessel_i1_over_i0(1.0f64) - 0.5651591039924851 / 1.2660658777520082).abs() < 1e-15
        );
        // Continuity across the switch at 50.
        let (a, b) = (series(50.0), asymptotic(50.0));
        assert!(
            (a.0 - b.0).abs() < 1e-12 && (a.1 - b.1).abs() < 1e-12,
            "{a:?} {b:?}"
        );
        // I₁/I₀ → 1 − 1/(2x) for large x.
        let r = bessel_i1_over_i0(1e4f64);
        assert!((r - (1.0 - 0.5e-4 - 0.125e-8)).abs() < 1e-11, "{r}");
    }

    #[test]
    fn derivative() {
        for &x in &[0.3f64, 5.0, 49.0, 51.0, 300.0] {
            let h = 1e-6 * x;
            let fd = (log_bessel_i0(x + h) - log_bessel_i0(x - h)) / (2.0 * h);
            assert!((fd - bessel_i1_over_i0(x)).abs() < 1e-7, "{x}");
        }
    }
}
