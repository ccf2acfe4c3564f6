//! Owen's T function
//! `T(h, a) = 1/(2π) ∫₀ᵃ exp(−h²(1 + x²)/2) / (1 + x²) dx`
//! (Owen 1956), with its partials
//! `∂T/∂h = −φ(h) erf(a h/√2) / 2` and
//! `∂T/∂a = exp(−h²(1 + a²)/2) / (2π (1 + a²))`.
//!
//! # Method
//! `T` is even in `h` and odd in `a`. For `0 ≤ a ≤ 1` the integral, written
//! as `e^{−h²/2}/(2π) ∫₀ᵃ e^{−h²x²/2}/(1 + x²) dx`, is computed by 10-point
//! Gauss–Legendre on 16 equal pieces of `[0, min(a, 9/h)]` (beyond `x = 9/h`
//! the integrand is below `e^{−40}` of its value at 0; each piece is short
//! against both the Gaussian's width and the poles at `±i`, so the rule is
//! exact to rounding). For `a > 1`, Owen's identity
//! `T(h, a) = ½[Φ(h) Q(ah) + Φ(ah) Q(h)] − T(ah, 1/a)` (`h ≥ 0`,
//! `Q = 1 − Φ`) reduces to `1/a < 1` without cancellation.

use super::erf::{erf, phi};

/// Gauss–Legendre nodes (positive half) and weights on [−1, 1], 10 points.
const GL_X: [f64; 5] = [
    0.148_874_338_981_631_2,
    0.433_395_394_129_247_2,
    0.679_409_568_299_024_4,
    0.865_063_366_688_984_5,
    0.973_906_528_517_171_7,
];
const GL_W: [f64; 5] = [
    0.295_524_224_714_752_9,
    0.269_266_719_309_996_4,
    0.219_086_362_515_982,
    0.149_451_349_150_580_6,
    0.066_671_344_308_688_1,
];
const PIECES: usize = 16;
const INV_2PI: f64 = 0.159_154_943_091_895_35;

/// `T(h, a)` for `h ≥ 0`, `0 ≤ a ≤ 1` by quadrature.
fn t_quad(h: f64, a: f64) -> f64 {
    let upper = if h > 0.0 { a.min(9.0 / h) } else { a };
    let w = upper / PIECES as f64;
    let hh = -0.5 * h * h;
    let mut s = 0.0;
    for k in 0..PIECES {
        let mid = (k as f64 + 0.5) * w;
        for j in 0..5 {
            for sign in [-1.0, 1.0] {
                let x = mid + sign * 0.5 * w * GL_X[j];
                let x2 = x * x;
                s += GL_W[j] * (hh * x2).exp() / (1.0 + x2);
            }
        }
    }
    INV_2PI * (hh).exp() * s * 0.5 * w
}

/// Owen's T function in f64 (NaN for NaN arguments; `T(h, ±∞) = ±Q(|h|)/2`).
pub fn owens_t_f64(h: f64, a: f64) -> f64 {
    if h.is_nan() || a.is_nan() {
        return f64::NAN;
    }
    if a < 0.0 {
        return -owens_t_f64(h, -a);
    }
    let h = h.abs();
    if h.is_infinite() || a == 0.0 {
        return 0.0;
    }
    if a <= 1.0 {
        return t_quad(h, a);
    }
    let q = |z: f64| phi(-z);
    if a.is_infinite() {
        return 0.5 * q(h);
    }
    let ah = a * h;
    0.5 * (phi(h) * q(ah) + phi(ah) * q(h)) - t_quad(ah, 1.0 / a)
}

/// Owen's T function.
#[inline]
pub fn owens_t<T: exmc_core::Real>(h: T, a: T) -> T {
    T::c(owens_t_f64(h.f64(), a.f64()))
}

/// `(∂T/∂h, ∂T/∂a)` at `(h, a)`.
pub fn owens_t_partials<T: exmc_core::Real>(h: T, a: T) -> (T, T) {
    let (hf, af) = (h.f64(), a.f64());
    let dh = -0.5 * phi_density(hf) * erf(af * hf * std::f64::consts::FRAC_1_SQRT_2);
    let da = if af.is_infinite() {
        0.0
    } else {
        let b = 1.0 + af * af;
        INV_2PI * (-0.5 * hf * hf * b).exp() / b
    };
    (T::c(dh), T::c(da))
}

fn phi_density(z: f64) -> f64 {
    0.398_942_280_401_432_7 * (-0.5 * z * z).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms() {
        // T(0, a) = atan(a)/(2π); T(h, 1) = Φ(h)Q(h)/2.
        for &a in &[0.1, 0.5, 1.0, 2.0, 10.0, -3.0] {
            let want = f64::atan(a) * INV_2PI;
            assert!((owens_t_f64(0.0, a) - want).abs() < 1e-15, "a={a}");
        }
        for &h in &[0.0, 0.3, 1.0, 2.5, 5.0, 8.0] {
            let p: f64 = phi(h);
            let want = 0.5 * p * phi(-h);
            let got = owens_t_f64(h, 1.0);
            assert!((got - want).abs() <= 1e-14 * want, "h={h}: {got} vs {want}");
        }
    }

    #[test]
    fn partials_match_finite_differences() {
        for &(h, a) in &[(0.3, 0.4), (1.7, 0.9), (0.8, 2.5), (-1.2, 1.5), (2.0, -0.7), (4.0, 3.0)] {
            let (dh, da) = owens_t_partials(h, a);
            let e = 1e-5;
            let fh = (owens_t_f64(h + e, a) - owens_t_f64(h - e, a)) / (2.0 * e);
            let fa = (owens_t_f64(h, a + e) - owens_t_f64(h, a - e)) / (2.0 * e);
            assert!((dh - fh).abs() < 1e-9, "∂h at {h},{a}: {dh} vs {fh}");
            assert!((da - fa).abs() < 1e-9, "∂a at {h},{a}: {da} vs {fa}");
        }
    }
}
