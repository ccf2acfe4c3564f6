//! `Σᵢ student_t_log_scale(xᵢ | ν, μ, log σᵢ)` without the hoisted `ν`
//! terms, and its partials, branch-free so that it vectorises (the `sv`
//! likelihood). Per element, as [`StudentTLogScale::variate_terms`](crate::dist::StudentTLogScale):
//!
//! `1/σ = exp(−log σ)` ([`exp_clamped`](crate::special::exp_clamped)), `z = (x − μ)/σ`,
//! `l = log1p(z²/ν)` ([`log1p_nonneg`](crate::special::log1p_nonneg)),
//! `f = (ν+1) z²/(ν+z²)`, `g = (ν+1) z/((ν+z²) σ)`;
//!
//! `log p = −log σ − ½(ν+1) l`, `∂/∂x = −g`, `∂/∂μ = g`, `∂/∂ν = ½(f/ν − l)`,
//! `∂/∂log σ = f − 1`.
//!
//! Matches the scalar kernel with std `exp`/`ln_1p` to about 1e-15 relative
//! per term. `f32` values are computed in `f64`; cases where the `f32`
//! scalar kernel would overflow are left to it (`None`), so both agree on
//! what is finite.

use super::{dispatch, Isa};
use crate::special::fast::{exp_clamped_with, log1p_nonneg_given};
use exmc_core::Real;

/// Returns `Some(Σᵢ (−log σᵢ − ½(ν+1) log1p(zᵢ²/ν)))` and writes the
/// partials: `dx[i] = ∂/∂xᵢ` (if `dx` is not empty), `dls[i] = ∂/∂log σᵢ`
/// (if `dls` is not empty; only for `ls` of length `n`), and
/// `sums = [Σ ∂/∂ν, Σ ∂/∂μ, Σ ∂/∂log σ]` (in f64). Sums use 8 lane
/// accumulators (the same order at every vector level).
///
/// `n = x.len()`; `ls` has length `n` or 1 (a scalar scale); `dx`, `dls`
/// have length `n` or 0. Returns `None` (outputs unspecified) on other
/// lengths, on any non-finite input, `ν ≤ 0`, `|log σ| > 708`, or any
/// non-finite term or partial (and, for `f32`, where the `f32` scalar
/// kernel's intermediates would overflow): callers then run the scalar
/// kernel, which reports errors as it always has.
#[allow(clippy::too_many_arguments)]
pub fn student_t_log_scale_sum<T: Real>(
    isa: Isa,
    x: &[T],
    nu: T,
    mu: T,
    ls: &[T],
    dx: &mut [T],
    dls: &mut [T],
    sums: &mut [f64; 3],
) -> Option<f64> {
    let n = x.len();
    if n == 0
        || !(ls.len() == n || ls.len() == 1)
        || !(dx.is_empty() || dx.len() == n)
        || !(dls.is_empty() || (dls.len() == n && ls.len() == n))
        || !(nu.f64() > 0.0 && nu.f64().is_finite() && mu.f64().is_finite())
    {
        return None;
    }
    let k = Consts::new(nu.f64(), mu.f64(), std::mem::size_of::<T>() == 4);
    let (lp, ok) = dispatch!(isa, fn<T: Real>(x: &[T], ls: &[T], dx: &mut [T], dls: &mut [T], sums: &mut [f64; 3], k: Consts) -> (f64, bool),
        scalar: body::<T, false>, avx2: body::<T, true>, avx512: body::<T, true>);
    ok.then_some(lp)
}

/// Loop invariants.
#[derive(Clone, Copy)]
struct Consts {
    nu: f64,
    mu: f64,
    inv_nu: f64,
    np1: f64,
    /// Largest `|log σ|` handled.
    ls_max: f64,
    /// Largest `(ν+1)(z² + |z|) + z²/ν` handled (the intermediates of the
    /// scalar kernel; only bounded for `f32`).
    mag_max: f64,
}

impl Consts {
    fn new(nu: f64, mu: f64, f32: bool) -> Consts {
        let (ls_max, mag_max) = if f32 { (80.0, 1e37) } else { (708.0, f64::INFINITY) };
        Consts { nu, mu, inv_nu: 1.0 / nu, np1: nu + 1.0, ls_max, mag_max }
    }
}

/// One element: `(log p, ∂/∂x, ∂/∂ν, ∂/∂log σ, flag)`, `∂/∂μ = −∂/∂x`;
/// `flag` is 0, or non-zero (possibly NaN) when the element is not handled.
#[inline(always)]
fn element<const FMA: bool>(x: f64, ls: f64, k: &Consts) -> [f64; 5] {
    let inv_sigma = exp_clamped_with::<FMA>(-ls);
    let z = (x - k.mu) * inv_sigma;
    let z2 = z * z;
    let denom = 1.0 / (k.nu + z2);
    // 1/(1 + z²/ν) = ν/(ν + z²): the division log1p would do is shared.
    let t = z2 * k.inv_nu;
    let l1p = log1p_nonneg_given::<FMA>(t, 1.0 + t, k.nu * denom);
    let frac = k.np1 * z2 * denom;
    let g = k.np1 * z * denom * inv_sigma;
    let dnu = 0.5 * (frac * k.inv_nu - l1p);
    let lp = -ls - 0.5 * k.np1 * l1p;
    let abs_ls = if ls < 0.0 { -ls } else { ls };
    let abs_z = if z < 0.0 { -z } else { z };
    let mag = k.np1 * (z2 + abs_z) + z2 * k.inv_nu;
    let out_of_range = if (abs_ls > k.ls_max) | (mag > k.mag_max) { 1.0 } else { 0.0 };
    // x·0 is 0 for finite x and NaN otherwise.
    let flag = out_of_range + (lp * 0.0 + g * 0.0 + dnu * 0.0 + frac * 0.0 + x * 0.0 + ls * 0.0);
    [lp, -g, dnu, frac - 1.0, flag]
}

#[inline(always)]
fn body<T: Real, const FMA: bool>(x: &[T], ls: &[T], dx: &mut [T], dls: &mut [T], sums: &mut [f64; 3], k: Consts) -> (f64, bool) {
    match (dx.is_empty(), ls.len() != x.len(), dls.is_empty()) {
        (true, true, _) => run::<T, FMA, false, false, false>(x, ls, dx, dls, sums, &k),
        (false, true, _) => run::<T, FMA, true, false, false>(x, ls, dx, dls, sums, &k),
        (true, false, true) => run::<T, FMA, false, true, false>(x, ls, dx, dls, sums, &k),
        (true, false, false) => run::<T, FMA, false, true, true>(x, ls, dx, dls, sums, &k),
        (false, false, true) => run::<T, FMA, true, true, false>(x, ls, dx, dls, sums, &k),
        (false, false, false) => run::<T, FMA, true, true, true>(x, ls, dx, dls, sums, &k),
    }
}

/// The loop, specialised on what is written (`DX`, `DLS`) and whether
/// `log σ` is a vector (`LSV`).
#[inline(always)]
fn run<T: Real, const FMA: bool, const DX: bool, const LSV: bool, const DLS: bool>(
    x: &[T],
    ls: &[T],
    dx: &mut [T],
    dls: &mut [T],
    sums: &mut [f64; 3],
    k: &Consts,
) -> (f64, bool) {
    let n = x.len();
    let ls_at = |i: usize| if LSV { ls[i].f64() } else { ls[0].f64() };
    let mut lp = [0.0f64; 8];
    let mut snu = [0.0f64; 8];
    let mut smu = [0.0f64; 8];
    let mut sls = [0.0f64; 8];
    let mut bad = [0.0f64; 8];
    let full = n / 8 * 8;
    let ls0 = ls[0].f64();
    // Fixed-size blocks (one bounds check each) so that the lane loop vectorises.
    for (c, xc) in x[..full].chunks_exact(8).enumerate() {
        let lc = if LSV { &ls[8 * c..8 * c + 8] } else { &ls[..1] };
        let (mut dxo, mut dlo) = ([0.0f64; 8], [0.0f64; 8]);
        for j in 0..8 {
            let lsj = if LSV { lc[j].f64() } else { ls0 };
            let [l, d, dn, dl, f] = element::<FMA>(xc[j].f64(), lsj, k);
            lp[j] += l;
            snu[j] += dn;
            smu[j] -= d;
            sls[j] += dl;
            bad[j] += f;
            dxo[j] = d;
            dlo[j] = dl;
        }
        if DX {
            for (o, &v) in dx[8 * c..8 * c + 8].iter_mut().zip(&dxo) {
                *o = T::c(v);
            }
        }
        if DLS {
            for (o, &v) in dls[8 * c..8 * c + 8].iter_mut().zip(&dlo) {
                *o = T::c(v);
            }
        }
    }
    let fold = |a: &[f64; 8]| ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
    let (mut s, mut flag) = (fold(&lp), fold(&bad));
    let (mut snu, mut smu, mut sls) = (fold(&snu), fold(&smu), fold(&sls));
    for i in full..n {
        let [l, d, dn, dl, f] = element::<FMA>(x[i].f64(), ls_at(i), k);
        s += l;
        snu += dn;
        smu -= d;
        sls += dl;
        flag += f;
        if DX {
            dx[i] = T::c(d);
        }
        if DLS {
            dls[i] = T::c(dl);
        }
    }
    *sums = [snu, smu, sls];
    (s, flag == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{Continuous, StudentTLogScale};

    fn levels() -> [Isa; 3] {
        [Isa::scalar(), Isa::avx2_or_lower(), Isa::detect()]
    }

    /// Deterministic values in [-1, 1) (an LCG).
    fn values(count: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..count)
            .map(|_| {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
            })
            .collect()
    }

    /// The scalar kernel (std exp/ln_1p) element by element:
    /// `(terms, dx, dnu, dmu, dls)`.
    fn reference(x: &[f64], nu: f64, mu: f64, ls: &[f64]) -> Vec<[f64; 5]> {
        (0..x.len())
            .map(|i| {
                let l = if ls.len() == 1 { ls[0] } else { ls[i] };
                let (mut dx, mut dp) = (0.0, [0.0; 3]);
                let v = StudentTLogScale::variate_terms(x[i], &[nu, mu, l], &mut dx, &mut dp);
                [v, dx, dp[0], dp[1], dp[2]]
            })
            .collect()
    }

    fn close(a: f64, b: f64, scale: f64, tol: f64) -> bool {
        a == b || (a - b).abs() <= tol * scale.max(1e-300)
    }

    #[test]
    fn every_level_matches_the_scalar_kernel_element_by_element() {
        let mut ls: Vec<f64> = vec![0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 3.0, -3.0, 30.0, -30.0, 300.0, -300.0, 700.0, -700.0, 708.0, -708.0];
        ls.extend((0..=2000).map(|i| -40.0 + 80.0 * i as f64 / 2000.0));
        let xs = [0.0, 1e-300, -1e-3, 0.3, -1.7, 25.0, -1e6, 1e100];
        let mut worst = 0.0f64;
        for &nu in &[1e-3, 0.7, 1.0, 4.0, 30.0, 1e6] {
            for &mu in &[0.0, 0.25, -3.0] {
                for &x0 in &xs {
                    let x = vec![x0; ls.len()];
                    let want = reference(&x, nu, mu, &ls);
                    for isa in levels() {
                        let (mut dx, mut dls, mut sums) = (vec![0.0; x.len()], vec![0.0; x.len()], [0.0; 3]);
                        let Some(_) = student_t_log_scale_sum(isa, &x, nu, mu, &ls, &mut dx, &mut dls, &mut sums) else {
                            // Only where the scalar kernel overflows too.
                            assert!(want.iter().flatten().any(|v| !v.is_finite()), "{} nu={nu} mu={mu} x={x0}: None", isa.name());
                            continue;
                        };
                        for i in 0..x.len() {
                            let w = want[i];
                            let mut one = [0.0; 3];
                            let (mut d1, mut l1) = ([0.0], [0.0]);
                            let v = student_t_log_scale_sum(isa, &x[i..i + 1], nu, mu, &ls[i..i + 1], &mut d1, &mut l1, &mut one).unwrap();
                            // Terms: relative to the larger of the two parts (−log σ, ½(ν+1) l).
                            let what = format!("{} nu={nu} mu={mu} x={x0} ls={}", isa.name(), ls[i]);
                            let scale = ls[i].abs().max((w[0] + ls[i]).abs());
                            assert!(close(v, w[0], scale, 1e-14), "{what}: log p {v:e} vs {:e}", w[0]);
                            assert!(close(dx[i], w[1], w[1].abs(), 1e-14), "{what}: dx {:e} vs {:e}", dx[i], w[1]);
                            assert!(close(d1[0], w[1], w[1].abs(), 1e-14), "{what}: dx {:e} vs {:e}", d1[0], w[1]);
                            // ∂ν = ½(f/ν − l) and ∂ls = f − 1 cancel: relative to their parts.
                            let l = (w[0] + ls[i]) / (-0.5 * (nu + 1.0));
                            assert!(close(one[0], w[2], (w[4] + 1.0).abs() / nu + l.abs(), 1e-14), "{what}: dnu {:e} vs {:e}", one[0], w[2]);
                            assert!(close(one[1], w[3], w[3].abs(), 1e-14), "{what}: dmu {:e} vs {:e}", one[1], w[3]);
                            assert!(close(dls[i], w[4], 1.0 + (w[4] + 1.0).abs(), 1e-15), "{what}: dls {:e} vs {:e}", dls[i], w[4]);
                            assert_eq!(l1[0], dls[i]);
                            worst = worst.max((v - w[0]).abs() / scale.max(1e-300));
                        }
                    }
                }
            }
        }
        eprintln!("worst relative error of a term: {worst:e}");
    }

    #[test]
    fn sums_and_scalar_scale_match_the_scalar_kernel() {
        for n in [1usize, 7, 8, 9, 100, 203] {
            let x: Vec<f64> = values(n, 3).iter().map(|v| 4.0 * v).collect();
            let lsv: Vec<f64> = values(n, 4).iter().map(|v| 3.0 * v).collect();
            for ls in [lsv.clone(), vec![0.4]] {
                let (nu, mu) = (5.5, 0.2);
                let want = reference(&x, nu, mu, &ls);
                let total = |k: usize| want.iter().map(|w| w[k]).sum::<f64>();
                let abs = |k: usize| want.iter().map(|w| w[k].abs()).sum::<f64>();
                for isa in levels() {
                    let mut dx = vec![0.0; n];
                    let mut dls = if ls.len() == n { vec![0.0; n] } else { vec![] };
                    let mut sums = [0.0; 3];
                    let lp = student_t_log_scale_sum(isa, &x, nu, mu, &ls, &mut dx, &mut dls, &mut sums).unwrap();
                    let what = format!("{} n={n} ls.len={}", isa.name(), ls.len());
                    assert!(close(lp, total(0), abs(0), 1e-14), "{what}: {lp} vs {}", total(0));
                    for (s, k) in [(sums[0], 2), (sums[1], 3), (sums[2], 4)] {
                        assert!(close(s, total(k), abs(k) + n as f64, 1e-14), "{what}: sum {k}: {s} vs {}", total(k));
                    }
                    for i in 0..n {
                        assert!(close(dx[i], want[i][1], want[i][1].abs(), 1e-14), "{what}: dx[{i}]");
                        if !dls.is_empty() {
                            assert!(close(dls[i], want[i][4], 1.0, 1e-14), "{what}: dls[{i}]");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn non_finite_or_out_of_range_input_is_left_to_the_scalar_kernel() {
        let n = 13;
        let ok = |x: &[f64], nu: f64, mu: f64, ls: &[f64], isa: Isa| {
            student_t_log_scale_sum(isa, x, nu, mu, ls, &mut vec![0.0; n], &mut [], &mut [0.0; 3]).is_some()
        };
        for isa in levels() {
            assert!(ok(&vec![0.3; n], 3.0, 0.0, &vec![0.1; n], isa));
            for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
                for at in [0usize, 5, 8, 12] {
                    let mut v = vec![0.3; n];
                    v[at] = bad;
                    assert!(!ok(&v, 3.0, 0.0, &vec![0.1; n], isa), "{} x {bad} at {at}", isa.name());
                    assert!(!ok(&vec![0.3; n], 3.0, 0.0, &v, isa), "{} ls {bad} at {at}", isa.name());
                }
                assert!(!ok(&vec![0.3; n], bad, 0.0, &[0.1], isa));
                assert!(!ok(&vec![0.3; n], 3.0, bad, &[0.1], isa));
            }
            assert!(!ok(&vec![0.3; n], 0.0, 0.0, &[0.1], isa));
            assert!(!ok(&vec![0.3; n], -1.0, 0.0, &[0.1], isa));
            assert!(!ok(&vec![0.3; n], 3.0, 0.0, &[709.0], isa));
            assert!(!ok(&vec![0.3; n], 3.0, 0.0, &[-709.0], isa));
            // z² overflows: the scalar kernel's partials are NaN there.
            assert!(!ok(&vec![1e200; n], 3.0, 0.0, &[-300.0], isa));
            // Mismatched lengths.
            assert!(!ok(&vec![0.3; n], 3.0, 0.0, &vec![0.1; n - 1], isa));
            assert!(student_t_log_scale_sum(isa, &[0.3; 4], 3.0, 0.0, &[0.1; 4], &mut [0.0; 3], &mut [], &mut [0.0; 3]).is_none());
            assert!(student_t_log_scale_sum(isa, &[0.3; 4], 3.0, 0.0, &[0.1], &mut [], &mut [0.0; 4], &mut [0.0; 3]).is_none());
            assert!(student_t_log_scale_sum::<f64>(isa, &[], 3.0, 0.0, &[0.1], &mut [], &mut [], &mut [0.0; 3]).is_none());
        }
    }

    #[test]
    fn partials_match_finite_differences() {
        let x: Vec<f64> = values(11, 8).iter().map(|v| 3.0 * v).collect();
        let ls: Vec<f64> = values(11, 9).iter().map(|v| 2.0 * v).collect();
        let (nu, mu) = (3.5, 0.3);
        let f = |x: &[f64], nu: f64, mu: f64, ls: &[f64]| {
            student_t_log_scale_sum(Isa::detect(), x, nu, mu, ls, &mut [], &mut [], &mut [0.0; 3]).unwrap()
        };
        let (mut dx, mut dls, mut sums) = (vec![0.0; 11], vec![0.0; 11], [0.0; 3]);
        student_t_log_scale_sum(Isa::detect(), &x, nu, mu, &ls, &mut dx, &mut dls, &mut sums).unwrap();
        let h = 1e-6;
        let fd = |fp: f64, fm: f64| (fp - fm) / (2.0 * h);
        let near = |a: f64, b: f64| (a - b).abs() <= 1e-7 * b.abs().max(1.0);
        let d_nu = fd(f(&x, nu + h, mu, &ls), f(&x, nu - h, mu, &ls));
        let d_mu = fd(f(&x, nu, mu + h, &ls), f(&x, nu, mu - h, &ls));
        assert!(near(sums[0], d_nu), "dnu {} vs {d_nu}", sums[0]);
        assert!(near(sums[1], d_mu), "dmu {} vs {d_mu}", sums[1]);
        for i in 0..11 {
            let (mut xp, mut xm, mut lp, mut lm) = (x.clone(), x.clone(), ls.clone(), ls.clone());
            xp[i] += h;
            xm[i] -= h;
            lp[i] += h;
            lm[i] -= h;
            let (gx, gl) = (fd(f(&xp, nu, mu, &ls), f(&xm, nu, mu, &ls)), fd(f(&x, nu, mu, &lp), f(&x, nu, mu, &lm)));
            assert!(near(dx[i], gx), "dx[{i}] {} vs {gx}", dx[i]);
            assert!(near(dls[i], gl), "dls[{i}] {} vs {gl}", dls[i]);
        }
    }

    #[test]
    fn f32_matches_the_f32_scalar_kernel_and_leaves_its_overflows_to_it() {
        let ls: Vec<f32> = (0..=999).map(|i| -40.0 + 100.0 * i as f32 / 999.0).collect();
        for &x0 in &[0.0f32, 0.4, -2.5, 30.0] {
            let x = vec![x0; ls.len()];
            for isa in levels() {
                let (mut dx, mut dls, mut sums) = (vec![0.0f32; x.len()], vec![0.0f32; x.len()], [0.0; 3]);
                let Some(_) = student_t_log_scale_sum(isa, &x, 4.0f32, 0.1, &ls, &mut dx, &mut dls, &mut sums) else {
                    // ls = −40 with x = 30: z² = 5e38 overflows in f32.
                    assert!(x0 >= 30.0, "{} x={x0}: None", isa.name());
                    continue;
                };
                for i in 0..x.len() {
                    let (mut gx, mut gp) = (0.0f32, [0.0f32; 3]);
                    let w = StudentTLogScale::variate_terms(x0, &[4.0, 0.1, ls[i]], &mut gx, &mut gp);
                    let v = student_t_log_scale_sum(isa, &x[i..i + 1], 4.0f32, 0.1, &ls[i..i + 1], &mut [], &mut [], &mut [0.0; 3]).unwrap();
                    let tol = |w: f32| 1e-6 * w.abs() as f64 + 1e-6;
                    assert!((v - w as f64).abs() <= tol(w) * 60.0, "{} {x0} {}: {v} vs {w}", isa.name(), ls[i]);
                    assert!(((dx[i] - gx) as f64).abs() <= tol(gx), "{} {x0} {}: {} vs {gx}", isa.name(), ls[i], dx[i]);
                    assert!(((dls[i] - gp[2]) as f64).abs() <= tol(gp[2]) * 10.0, "{} {x0} {}: {} vs {}", isa.name(), ls[i], dls[i], gp[2]);
                }
            }
        }
        // Beyond f32's range of exp: left to the f32 kernel.
        assert!(student_t_log_scale_sum(Isa::detect(), &[0.5f32; 9], 4.0, 0.0, &[-90.0], &mut [], &mut [], &mut [0.0; 3]).is_none());
    }

    #[test]
    fn avx2_and_avx512_are_bit_identical() {
        let x: Vec<f64> = values(203, 1).iter().map(|v| 5.0 * v).collect();
        let ls: Vec<f64> = values(203, 2).iter().map(|v| 4.0 * v).collect();
        let run = |isa: Isa| {
            let (mut dx, mut dls, mut sums) = (vec![0.0; 203], vec![0.0; 203], [0.0; 3]);
            let lp = student_t_log_scale_sum(isa, &x, 2.5, -0.1, &ls, &mut dx, &mut dls, &mut sums).unwrap();
            (lp.to_bits(), dx, dls, sums)
        };
        assert_eq!(run(Isa::avx2_or_lower()), run(Isa::detect()));
    }
}
