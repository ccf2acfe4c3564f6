//! A data matrix `M` (`n × p`, stored column-major: column `j` is
//! `mt[j n .. (j + 1) n]`) times a parameter vector, and the transpose
//! product of the reverse sweep.
//!
//! * [`matvec_cols`]: `out = M v`. Rows in blocks held in registers, the
//!   columns accumulated in order: `out_i = (((0 + m_i0 v_0) + m_i1 v_1) + …)`,
//!   the order of the one-axpy-per-column loop.
//! * [`dot_cols_add`]: `acc_j += M[:, j] · g`. Several columns at once, each
//!   dot product in 8 lane accumulators (lane `k` sums rows `≡ k mod 8`),
//!   combined `((a₀+a₁)+(a₂+a₃))+((a₄+a₅)+(a₆+a₇))`, then the tail rows.
//!
//! Without FMA the results are bit-identical to the plain loops with the same
//! summation order; with FMA each multiply-add rounds once instead of twice.

use super::{dispatch, madd, Isa};
use exmc_core::Real;

/// `out = M v` for `M` column-major with `out.len()` rows and `v.len()`
/// columns (`mt.len() ≥ out.len() · v.len()`; extra columns are ignored,
/// missing ones treated as absent).
pub fn matvec_cols<T: Real>(isa: Isa, out: &mut [T], mt: &[T], v: &[T]) {
    dispatch!(isa, fn<T: Real>(out: &mut [T], mt: &[T], v: &[T]) -> (),
        scalar: matvec_cols_body::<T, false>, avx2: matvec_cols_body::<T, true>, avx512: matvec_cols_body::<T, true>)
}

/// `acc[j] += Σ_i M[i, j] g[i]` for `M` column-major with `g.len()` rows
/// and `acc.len()` columns (columns missing from `mt` are skipped).
pub fn dot_cols_add<T: Real>(isa: Isa, acc: &mut [T], mt: &[T], g: &[T]) {
    dispatch!(isa, fn<T: Real>(acc: &mut [T], mt: &[T], g: &[T]) -> (),
        scalar: dot_cols_body::<T, false, 4>, avx2: dot_cols_body::<T, true, 8>, avx512: dot_cols_body::<T, true, 8>)
}

#[inline(always)]
fn matvec_cols_body<T: Real, const FMA: bool>(out: &mut [T], mt: &[T], v: &[T]) {
    let n = out.len();
    if n == 0 {
        return;
    }
    let p = v.len().min(mt.len() / n);
    let mut i0 = 0;
    i0 = matvec_rows::<T, FMA, 32>(out, mt, &v[..p], i0);
    i0 = matvec_rows::<T, FMA, 8>(out, mt, &v[..p], i0);
    for i in i0..n {
        let mut s = T::zero();
        for (j, &vj) in v[..p].iter().enumerate() {
            s = madd::<T, FMA>(mt[j * n + i], vj, s);
        }
        out[i] = s;
    }
}

/// Rows `[i0, …)` in blocks of `B` while a whole block fits; returns where it stopped.
#[inline(always)]
fn matvec_rows<T: Real, const FMA: bool, const B: usize>(out: &mut [T], mt: &[T], v: &[T], mut i0: usize) -> usize {
    let n = out.len();
    while i0 + B <= n {
        let mut acc = [T::zero(); B];
        for (j, &vj) in v.iter().enumerate() {
            let Some(col) = mt[j * n + i0..].first_chunk::<B>() else { return i0 };
            for k in 0..B {
                acc[k] = madd::<T, FMA>(col[k], vj, acc[k]);
            }
        }
        out[i0..i0 + B].copy_from_slice(&acc);
        i0 += B;
    }
    i0
}

#[inline(always)]
fn dot_cols_body<T: Real, const FMA: bool, const G: usize>(acc: &mut [T], mt: &[T], g: &[T]) {
    let n = g.len();
    let p = if n == 0 { acc.len() } else { acc.len().min(mt.len() / n) };
    // G columns at a time (G independent accumulator vectors), then 2,
    // then 1 for the columns left.
    let mut j0 = dot_cols_group::<T, FMA, G>(&mut acc[..p], mt, g, 0);
    j0 = dot_cols_group::<T, FMA, 2>(&mut acc[..p], mt, g, j0);
    dot_cols_group::<T, FMA, 1>(&mut acc[..p], mt, g, j0);
}

/// Columns `[j0, …)` of [`dot_cols_add`] in groups of `G` while a whole
/// group fits; returns where it stopped.
#[inline(always)]
fn dot_cols_group<T: Real, const FMA: bool, const G: usize>(acc: &mut [T], mt: &[T], g: &[T], mut j0: usize) -> usize {
    let n = g.len();
    let full = n / 8 * 8;
    while j0 + G <= acc.len() {
        let cols: [&[T]; G] = std::array::from_fn(|c| &mt[(j0 + c) * n..(j0 + c + 1) * n]);
        let mut lanes = [[T::zero(); 8]; G];
        for (i0, gc) in (0..full).step_by(8).zip(g.chunks_exact(8)) {
            for c in 0..G {
                let x = &cols[c][i0..i0 + 8];
                for k in 0..8 {
                    lanes[c][k] = madd::<T, FMA>(x[k], gc[k], lanes[c][k]);
                }
            }
        }
        for c in 0..G {
            acc[j0 + c] += finish::<T, FMA>(&lanes[c], &cols[c][full..], &g[full..]);
        }
        j0 += G;
    }
    j0
}

/// Combines 8 lane sums pairwise, then adds the tail products in order.
#[inline(always)]
fn finish<T: Real, const FMA: bool>(a: &[T; 8], xs: &[T], ys: &[T]) -> T {
    let mut s = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
    for (&x, &y) in xs.iter().zip(ys) {
        s = madd::<T, FMA>(x, y, s);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic values in [-2, 2) (an LCG).
    fn values(count: usize, seed: u64) -> Vec<f64> {
        let mut s = seed;
        (0..count)
            .map(|_| {
                s = s.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0
            })
            .collect()
    }

    /// The plain loops the kernels replace.
    fn reference(n: usize, p: usize, mt: &[f64], v: &[f64], g: &[f64]) -> (Vec<f64>, Vec<f64>) {
        let mut out = vec![0.0; n];
        for j in 0..p {
            for i in 0..n {
                out[i] += mt[j * n + i] * v[j];
            }
        }
        let back = (0..p).map(|j| (0..n).map(|i| mt[j * n + i] * g[i]).sum::<f64>()).collect();
        (out, back)
    }

    fn close(a: f64, b: f64, scale: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * scale
    }

    #[test]
    fn all_levels_match_plain_loops_over_shapes() {
        for (n, p) in [(0, 3), (1, 1), (7, 3), (8, 1), (31, 5), (32, 4), (33, 7), (500, 20), (45, 9), (3, 0)] {
            let (mt, v, g) = (values(n * p, 1 + n as u64), values(p, 7), values(n, 9));
            let (want_out, want_back) = reference(n, p, &mt, &v, &g);
            // Error bound scale: Σ|m v| per row, Σ|m g| per column.
            let row_scale: Vec<f64> = (0..n).map(|i| (0..p).map(|j| (mt[j * n + i] * v[j]).abs()).sum::<f64>() + 1e-300).collect();
            let col_scale: Vec<f64> = (0..p).map(|j| (0..n).map(|i| (mt[j * n + i] * g[i]).abs()).sum::<f64>() + 1e-300).collect();
            for isa in [Isa::scalar(), Isa::avx2_or_lower(), Isa::detect()] {
                let mut out = vec![f64::NAN; n];
                matvec_cols(isa, &mut out, &mt, &v);
                for i in 0..n {
                    assert!(close(out[i], want_out[i], row_scale[i], 1e-15 * p.max(1) as f64), "{} ({n}x{p}) row {i}", isa.name());
                }
                let mut back = vec![1.0; p];
                dot_cols_add(isa, &mut back, &mt, &g);
                for j in 0..p {
                    assert!(close(back[j] - 1.0, want_back[j], col_scale[j] + 1.0, 1e-15 * n.max(1) as f64), "{} ({n}x{p}) col {j}", isa.name());
                }
            }
        }
    }

    #[test]
    fn scalar_level_is_bit_identical_to_the_axpy_loop() {
        let (n, p) = (77, 6);
        let (mt, v, g) = (values(n * p, 3), values(p, 4), values(n, 5));
        let (want, _) = reference(n, p, &mt, &v, &g);
        let mut out = vec![0.0; n];
        matvec_cols(Isa::scalar(), &mut out, &mt, &v);
        assert_eq!(out, want);
    }

    #[test]
    fn vector_levels_agree_with_scalar_to_1e14() {
        let (n, p) = (500, 20);
        let (mt, v, g) = (values(n * p, 11), values(p, 12), values(n, 13));
        let (mut o0, mut b0) = (vec![0.0; n], vec![0.0; p]);
        matvec_cols(Isa::scalar(), &mut o0, &mt, &v);
        dot_cols_add(Isa::scalar(), &mut b0, &mt, &g);
        for isa in [Isa::avx2_or_lower(), Isa::detect()] {
            let (mut o, mut b) = (vec![0.0; n], vec![0.0; p]);
            matvec_cols(isa, &mut o, &mt, &v);
            dot_cols_add(isa, &mut b, &mt, &g);
            for (x, y) in o.iter().zip(&o0).chain(b.iter().zip(&b0)) {
                assert!((x - y).abs() <= 1e-14 * y.abs().max(1.0), "{}: {x} vs {y}", isa.name());
            }
        }
    }

    #[test]
    fn f32_agrees_with_f64_to_f32_accuracy() {
        let (n, p) = (203, 9);
        let (mt, v, g) = (values(n * p, 21), values(p, 22), values(n, 23));
        let f = |x: &[f64]| x.iter().map(|&v| v as f32).collect::<Vec<f32>>();
        let (mt32, v32, g32) = (f(&mt), f(&v), f(&g));
        for isa in [Isa::scalar(), Isa::avx2_or_lower(), Isa::detect()] {
            let (mut o, mut b) = (vec![0.0; n], vec![0.0; p]);
            matvec_cols(Isa::scalar(), &mut o, &mt, &v);
            dot_cols_add(Isa::scalar(), &mut b, &mt, &g);
            let (mut o32, mut b32) = (vec![0.0f32; n], vec![0.0f32; p]);
            matvec_cols(isa, &mut o32, &mt32, &v32);
            dot_cols_add(isa, &mut b32, &mt32, &g32);
            for (x, y) in o32.iter().zip(&o).chain(b32.iter().zip(&b)) {
                assert!((*x as f64 - y).abs() <= 1e-5 * y.abs().max(1.0), "{}: {x} vs {y}", isa.name());
            }
        }
    }

    #[test]
    fn non_finite_values_propagate() {
        let (n, p) = (40, 3);
        let mut mt = values(n * p, 2);
        mt[5] = f64::NAN;
        let v = vec![1.0, f64::INFINITY, 0.5];
        for isa in [Isa::scalar(), Isa::detect()] {
            let mut out = vec![0.0; n];
            matvec_cols(isa, &mut out, &mt, &v);
            assert!(out[5].is_nan() && out.iter().all(|x| !x.is_finite()), "{}", isa.name());
        }
    }
}
