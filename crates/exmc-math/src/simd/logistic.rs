//! `Σᵢ log bernoulli_logit(yᵢ | ηᵢ)` and `∂/∂ηᵢ`, branch-free so that it
//! vectorises: with `e = exp(−|η|)` ([`exp_nonpositive`](crate::special::exp_nonpositive)),
//!
//! `log p = y η − max(η, 0) − log1p(e)` ([`log1p_unit`](crate::special::log1p_unit)),
//! `∂/∂η = y − σ(η)`, `σ(η) = (η ≥ 0 ? 1 : e) / (1 + e)`
//!
//! (Stan Math's `bernoulli_logit_lpmf` uses the same decomposition). The
//! result equals the scalar kernel [`BernoulliLogit`](crate::dist::BernoulliLogit)
//! with std `exp`/`ln_1p` to about 1e-15 relative, except that `exp` below
//! `−700` is `≈ 1e-304` rather than smaller (an absolute difference under 1e-303).

use super::{dispatch, Isa};
use crate::special::fast::{exp_nonpositive_with, log1p_unit_given};
use exmc_core::Real;

/// Writes `dp[i] = ∂/∂ηᵢ log p(yᵢ | ηᵢ)` (`y` is 1 where `yᵢ == 1`, else 0)
/// and returns `Some(Σᵢ log p)`, summed in 8 lane accumulators; returns
/// `None` if any `ηᵢ` is not finite (then `dp` is unspecified: callers fall
/// back to the scalar kernel, which reports NaN as an error and infinities
/// as it always has). Uses the first `min(η.len(), y.len(), dp.len())` elements.
/// `f32` values are computed in `f64` (the sum is returned in `f64`).
pub fn bernoulli_logit_sum<T: Real>(isa: Isa, eta: &[T], y: &[i64], dp: &mut [T]) -> Option<f64> {
    let (lp, finite) = dispatch!(isa, fn<T: Real>(eta: &[T], y: &[i64], dp: &mut [T]) -> (f64, bool),
        scalar: body::<T, false>, avx2: body::<T, true>, avx512: body::<T, true>);
    finite.then_some(lp)
}

/// One element: `(log p, ∂/∂η)`; `yf` is 0 or 1.
#[inline(always)]
fn element<const FMA: bool>(a: f64, yf: f64) -> (f64, f64) {
    let abs = if a < 0.0 { -a } else { a };
    let e = exp_nonpositive_with::<FMA>(-abs);
    let u = 1.0 + e;
    let inv = 1.0 / u;
    let l = log1p_unit_given::<FMA>(e, u, inv);
    let sigma = if a >= 0.0 { inv } else { e * inv };
    let relu = if a > 0.0 { a } else { 0.0 };
    (yf * a - relu - l, yf - sigma)
}

#[inline(always)]
fn body<T: Real, const FMA: bool>(eta: &[T], y: &[i64], dp: &mut [T]) -> (f64, bool) {
    let n = eta.len().min(y.len()).min(dp.len());
    let (eta, y, dp) = (&eta[..n], &y[..n], &mut dp[..n]);
    let mut lp = [0.0f64; 8];
    // η·0 is 0 for finite η and NaN otherwise: one flag sum per lane.
    let mut bad = [0.0f64; 8];
    let full = n / 8 * 8;
    for ((a, yc), d) in eta.chunks_exact(8).zip(y.chunks_exact(8)).zip(dp.chunks_exact_mut(8)) {
        for k in 0..8 {
            let yf = if yc[k] == 1 { 1.0 } else { 0.0 };
            let ak = a[k].f64();
            let (l, g) = element::<FMA>(ak, yf);
            lp[k] += l;
            d[k] = T::c(g);
            bad[k] += ak * 0.0;
        }
    }
    let mut s = ((lp[0] + lp[1]) + (lp[2] + lp[3])) + ((lp[4] + lp[5]) + (lp[6] + lp[7]));
    let mut flag = bad.iter().sum::<f64>();
    for i in full..n {
        let yf = if y[i] == 1 { 1.0 } else { 0.0 };
        let a = eta[i].f64();
        let (l, g) = element::<FMA>(a, yf);
        s += l;
        dp[i] = T::c(g);
        flag += a * 0.0;
    }
    (s, flag == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{BernoulliLogit, Discrete};

    /// The scalar kernel with std exp/ln_1p, summed in order.
    fn reference(eta: &[f64], y: &[i64]) -> (f64, Vec<f64>) {
        let mut d = vec![0.0; eta.len()];
        let mut s = 0.0;
        for i in 0..eta.len() {
            let mut g = [0.0];
            s += BernoulliLogit::lpmf_rest(&y[i..i + 1], &[eta[i]], &mut g).unwrap();
            d[i] = g[0];
        }
        (s, d)
    }

    fn levels() -> [Isa; 3] {
        [Isa::scalar(), Isa::avx2_or_lower(), Isa::detect()]
    }

    /// Relative error with an absolute floor of 1e-300 (exp clamps at −700).
    fn check(isa: Isa, what: &str, a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol * b.abs() + 1e-300, "{} {what}: {a:e} vs {b:e}", isa.name());
    }

    #[test]
    fn every_level_matches_the_scalar_kernel_over_a_grid_with_extremes() {
        let mut eta: Vec<f64> = vec![
            0.0, -0.0, 1e-300, -1e-300, 1e-16, -1e-16, 0.5, -0.5, 1.0, -1.0, 30.0, -30.0, 36.7, -36.7, 700.0, -700.0,
            709.0, -709.0, 745.0, -745.0, 1e4, -1e4, 1e300, -1e300, f64::MIN_POSITIVE, -f64::MIN_POSITIVE,
        ];
        eta.extend((0..=4000).map(|i| -40.0 + 80.0 * i as f64 / 4000.0));
        for y in [0i64, 1] {
            let ys = vec![y; eta.len()];
            let (want, want_d) = reference(&eta, &ys);
            for isa in levels() {
                let mut d = vec![f64::NAN; eta.len()];
                let got = bernoulli_logit_sum(isa, &eta, &ys, &mut d).expect("finite");
                check(isa, &format!("sum (y = {y})"), got, want, 1e-14);
                for i in 0..eta.len() {
                    check(isa, &format!("d/deta at {} (y = {y})", eta[i]), d[i], want_d[i], 1e-14);
                }
                // Element by element, too (no cancellation in a sum to hide errors).
                for (i, &a) in eta.iter().enumerate() {
                    let mut d1 = [0.0];
                    let v = bernoulli_logit_sum(isa, &[a], &[y], &mut d1).expect("finite");
                    let mut g = [0.0];
                    let w = BernoulliLogit::lpmf_rest(&[y], &[a], &mut g).unwrap();
                    check(isa, &format!("log p at {a} (y = {y}, element {i})"), v, w, 1e-14);
                }
            }
        }
    }

    #[test]
    fn non_finite_eta_is_reported_not_summed() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for at in [0usize, 5, 8, 12] {
                let mut eta = vec![0.3; 13];
                eta[at] = bad;
                let mut d = vec![0.0; 13];
                for isa in levels() {
                    assert_eq!(bernoulli_logit_sum(isa, &eta, &[1; 13], &mut d), None, "{} {bad} at {at}", isa.name());
                }
            }
        }
    }

    #[test]
    fn gradient_matches_finite_differences() {
        for isa in levels() {
            for y in [0i64, 1] {
                for &a in &[-20.0, -3.0, -0.4, 0.0, 0.7, 2.5, 15.0] {
                    let f = |x: f64| bernoulli_logit_sum(isa, &[x], &[y], &mut [0.0]).unwrap();
                    let h = 1e-5;
                    let fd = (f(a + h) - f(a - h)) / (2.0 * h);
                    let mut d = [0.0];
                    bernoulli_logit_sum(isa, &[a], &[y], &mut d);
                    assert!((d[0] - fd).abs() <= 1e-8 * fd.abs().max(1e-3), "{} y={y} eta={a}: {} vs {fd}", isa.name(), d[0]);
                }
            }
        }
    }

    #[test]
    fn f32_matches_the_f32_scalar_kernel() {
        let eta: Vec<f32> = (0..=999).map(|i| -60.0 + 120.0 * i as f32 / 999.0).collect();
        for y in [0i64, 1] {
            for isa in levels() {
                let mut d = vec![0.0f32; eta.len()];
                bernoulli_logit_sum(isa, &eta, &vec![y; eta.len()], &mut d).unwrap();
                for (i, &a) in eta.iter().enumerate() {
                    let mut g = [0.0f32];
                    let w = BernoulliLogit::lpmf_rest(&[y], &[a], &mut g).unwrap();
                    let v = bernoulli_logit_sum(isa, &[a], &[y], &mut [0.0f32]).unwrap();
                    // The f32 kernel rounds `1 − σ` in f32: a few ulps of 1 absolute.
                    let tol = |w: f64| 1e-6 * w.abs() + 4.0 * f32::EPSILON as f64;
                    assert!((v - w as f64).abs() <= tol(w as f64), "{} {a}: {v} vs {w}", isa.name());
                    assert!(((d[i] - g[0]) as f64).abs() <= tol(g[0] as f64), "{} {a}: {} vs {}", isa.name(), d[i], g[0]);
                }
            }
        }
    }

    #[test]
    fn lengths_are_the_shortest_of_the_three() {
        let mut d = vec![7.0; 4];
        let s = bernoulli_logit_sum(Isa::detect(), &[0.0, 0.0, 0.0], &[1, 1], &mut d).unwrap();
        assert!((s - 2.0 * (-std::f64::consts::LN_2)).abs() < 1e-15);
        assert_eq!(&d[2..], &[7.0, 7.0]);
    }
}
