//! Solves, inverses and determinants: `A \ b` (`mdivide_left`), `b / A`
//! (`mdivide_right`), `inverse`, `determinant`, `log_determinant` and their
//! `_spd` forms.
//!
//! A data matrix is factored once, numerically, with partial pivoting
//! (LU, Golub & Van Loan §3.4), and the result is a constant or a product
//! with a constant. A parameter matrix is supported where it is symmetric
//! positive definite (`_spd` forms): Cholesky `A = L Lᵀ` (the graph's Cholesky
//! instruction), then `A⁻¹ b = L⁻ᵀ (L⁻¹ b)` by two triangular solves, and
//! `log|A| = 2 Σ log Lᵢᵢ`. A general parameter matrix would need pivoting on
//! parameter values: a clear "not supported yet" error.

use super::interp::{Interp, LowerError, R};
use super::value::{Sc, TKind, Tensor, Val};
use crate::token::Span;
use exmc_model::UnaryFn;

/// Functions handled here.
pub(crate) const NAMES: [&str; 9] = [
    "mdivide_left",
    "mdivide_right",
    "mdivide_left_spd",
    "mdivide_right_spd",
    "inverse",
    "inverse_spd",
    "determinant",
    "log_determinant",
    "log_determinant_spd",
];

/// An LU factorisation with partial pivoting of a `k × k` row-major matrix:
/// `P A = L U`, unit-lower `L` and `U` packed in `lu`, `perm[i]` the row of
/// `A` in row `i`, `sign` the permutation's sign.
struct Lu {
    k: usize,
    lu: Vec<f64>,
    perm: Vec<usize>,
    sign: f64,
}

impl Lu {
    /// Factors `a`; `None` if it is singular to working precision.
    fn new(a: &[f64], k: usize) -> Option<Lu> {
        let mut lu = a.to_vec();
        let mut perm: Vec<usize> = (0..k).collect();
        let mut sign = 1.0;
        for c in 0..k {
            let p = (c..k).max_by(|&i, &j| lu[i * k + c].abs().total_cmp(&lu[j * k + c].abs()))?;
            if !(lu[p * k + c].abs() > 0.0) || !lu[p * k + c].is_finite() {
                return None;
            }
            if p != c {
                for j in 0..k {
                    lu.swap(p * k + j, c * k + j);
                }
                perm.swap(p, c);
                sign = -sign;
            }
            for i in c + 1..k {
                let f = lu[i * k + c] / lu[c * k + c];
                lu[i * k + c] = f;
                for j in c + 1..k {
                    lu[i * k + j] -= f * lu[c * k + j];
                }
            }
        }
        Some(Lu { k, lu, perm, sign })
    }

    /// `A⁻¹ B` for `B` with `cols` columns (row-major `k × cols`).
    fn solve(&self, b: &[f64], cols: usize) -> Vec<f64> {
        let k = self.k;
        let mut x = vec![0.0; k * cols];
        for c in 0..cols {
            let mut y: Vec<f64> = (0..k).map(|i| b[self.perm[i] * cols + c]).collect();
            for i in 0..k {
                for j in 0..i {
                    y[i] -= self.lu[i * k + j] * y[j];
                }
            }
            for i in (0..k).rev() {
                for j in i + 1..k {
                    y[i] -= self.lu[i * k + j] * y[j];
                }
                y[i] /= self.lu[i * k + i];
            }
            for i in 0..k {
                x[i * cols + c] = y[i];
            }
        }
        x
    }

    /// `(log|det A|, sign of det A)`.
    fn log_abs_det(&self) -> (f64, f64) {
        let mut sign = self.sign;
        let mut log = 0.0;
        for i in 0..self.k {
            let u = self.lu[i * self.k + i];
            log += u.abs().ln();
            if u < 0.0 {
                sign = -sign;
            }
        }
        (log, sign)
    }
}

fn transpose(a: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut t = vec![0.0; a.len()];
    for i in 0..rows {
        for j in 0..cols {
            t[j * rows + i] = a[i * cols + j];
        }
    }
    t
}

impl<'p> Interp<'p> {
    /// `name(args)` for the functions of [`NAMES`].
    pub(crate) fn linalg_call(&mut self, name: &str, args: &[Val], span: Span) -> R<Val> {
        let n_args = if name.starts_with("mdivide") { 2 } else { 1 };
        if args.len() != n_args {
            return Err(LowerError::new(span, format!("{name} takes {n_args} argument(s), got {}", args.len())));
        }
        let spd = name.ends_with("_spd");
        match name {
            "mdivide_left" | "mdivide_left_spd" => self.mdivide(true, spd, &args[0], &args[1], name, span),
            "mdivide_right" | "mdivide_right_spd" => self.mdivide(false, spd, &args[1], &args[0], name, span),
            "inverse" | "inverse_spd" => {
                let k = self.square(&args[0], name, span)?.0;
                let mut eye = vec![0.0; k * k];
                (0..k).for_each(|i| eye[i * k + i] = 1.0);
                let id = Val::Tensor(Tensor::constant(TKind::Matrix(k, k), eye));
                self.mdivide(true, spd, &args[0], &id, name, span)
            }
            _ => {
                let (k, t) = self.square(&args[0], name, span)?;
                if let Some(a) = t.constants() {
                    let lu = Lu::new(&a, k);
                    let (log, sign) = lu.map_or((f64::NEG_INFINITY, 0.0), |lu| lu.log_abs_det());
                    return Ok(Val::real(match name {
                        "determinant" => sign * log.exp(),
                        "log_determinant" => log,
                        _ if sign > 0.0 && is_symmetric(&a, k) => log,
                        _ => return Err(LowerError::new(span, format!("{name}: the matrix is not symmetric positive definite"))),
                    }));
                }
                if name != "log_determinant_spd" {
                    return Err(not_supported(name, span));
                }
                // log|A| = 2 Σ log Lᵢᵢ
                let l = self.cholesky(&args[0], span)?;
                let lt = self.tensor(&l, span)?;
                let le = self.elems(&lt);
                let mut acc = Sc::C(0.0);
                for i in 0..k {
                    let lg = self.sc_un(UnaryFn::Log, le[i * k + i]);
                    acc = self.sc_bin(exmc_model::BinaryFn::Add, acc, lg);
                }
                Ok(Val::Real(self.sc_mul(Sc::C(2.0), acc)))
            }
        }
    }

    /// `A⁻¹ B` (`left`) or `B A⁻¹`, with `B` a vector / row vector / matrix.
    pub(crate) fn mdivide(&mut self, left: bool, spd: bool, a: &Val, b: &Val, name: &str, span: Span) -> R<Val> {
        let (k, at) = self.square(a, name, span)?;
        let bt = self.tensor(b, span)?;
        let (b_rows, b_cols) = match (left, bt.kind) {
            (true, TKind::Vector(n)) => (n, 1),
            (false, TKind::RowVector(n)) => (1, n),
            (_, TKind::Matrix(r, c)) => (r, c),
            (_, kind) => return Err(LowerError::new(span, format!("{name}: cannot divide a {} by a matrix on this side", kind.name()))),
        };
        let inner = if left { b_rows } else { b_cols };
        if inner != k {
            return Err(LowerError::new(span, format!("{name}: a {k}×{k} matrix and a {} of size {b_rows}×{b_cols}", bt.kind.name())));
        }
        if let Some(av) = at.constants() {
            if spd && !is_symmetric(&av, k) {
                return Err(LowerError::new(span, format!("{name}: the matrix is not symmetric")));
            }
            let Some(lu) = Lu::new(&av, k) else {
                return Err(LowerError::new(span, format!("{name}: the matrix is singular")));
            };
            // B A⁻¹ = (A⁻ᵀ Bᵀ)ᵀ: factor Aᵀ for the right division.
            let lu = if left { lu } else { Lu::new(&transpose(&av, k, k), k).unwrap_or(lu) };
            if let Some(bv) = bt.constants() {
                let x = if left {
                    lu.solve(&bv, b_cols)
                } else {
                    transpose(&lu.solve(&transpose(&bv, b_rows, b_cols), b_rows), b_cols, b_rows)
                };
                return Ok(Val::Tensor(Tensor::constant(bt.kind, x)));
            }
            // A data matrix and parameter B: a product with the constant inverse.
            let mut eye = vec![0.0; k * k];
            (0..k).for_each(|i| eye[i * k + i] = 1.0);
            let inv = Val::Tensor(Tensor::constant(TKind::Matrix(k, k), lu.solve(&eye, k)));
            let inv = if left { inv } else { Val::Tensor(Tensor::constant(TKind::Matrix(k, k), transpose(&lu.solve(&eye, k), k, k))) };
            return if left { self.multiply(&inv, b, span) } else { self.multiply(b, &inv, span) };
        }
        if !spd {
            return Err(not_supported(name, span));
        }
        // A = L Lᵀ: A⁻¹ B = L⁻ᵀ (L⁻¹ B), and B A⁻¹ = (B L⁻ᵀ) L⁻¹.
        let l = self.cholesky(a, span)?;
        if left {
            let y = self.tri_solve(true, &l, b, span)?; // L⁻¹ B
            let yt = self.transpose(&y, span)?; // (L⁻¹ B)ᵀ
            let xt = self.tri_solve(false, &yt, &l, span)?; // (L⁻¹ B)ᵀ L⁻¹ = (L⁻ᵀ L⁻¹ B)ᵀ
            self.transpose(&xt, span)
        } else {
            let bt_ = self.transpose(b, span)?; // Bᵀ
            let y = self.tri_solve(true, &l, &bt_, span)?; // L⁻¹ Bᵀ = (B L⁻ᵀ)ᵀ
            let yt = self.transpose(&y, span)?; // B L⁻ᵀ
            self.tri_solve(false, &yt, &l, span) // B L⁻ᵀ L⁻¹
        }
    }

    /// The size of a square matrix argument.
    fn square(&mut self, a: &Val, name: &str, span: Span) -> R<(usize, Tensor)> {
        let t = self.tensor(a, span)?;
        match t.kind {
            TKind::Matrix(r, c) if r == c => Ok((r, t)),
            kind => Err(LowerError::new(span, format!("{name} needs a square matrix, found a {} of {} elements", kind.name(), kind.len()))),
        }
    }
}

fn is_symmetric(a: &[f64], k: usize) -> bool {
    (0..k).all(|i| (0..i).all(|j| (a[i * k + j] - a[j * k + i]).abs() <= 1e-8 * a[i * k + j].abs().max(a[j * k + i].abs()).max(1.0)))
}

fn not_supported(name: &str, span: Span) -> LowerError {
    LowerError::new(
        span,
        format!("{name} of a matrix that depends on parameters is not supported by exmc yet (only the _spd forms are; a data matrix works)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::StanModel;

    #[test]
    fn lu_solves_and_determinants() {
        // Needs a row swap in the first column.
        let a = [0.0, 2.0, 1.0, 1.0, 1.0, 0.0, 2.0, 0.0, 3.0];
        let lu = Lu::new(&a, 3).unwrap();
        let x = lu.solve(&[1.0, 2.0, 3.0], 1);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|j| a[i * 3 + j] * x[j]).sum();
            assert!((ax - [1.0, 2.0, 3.0][i]).abs() < 1e-14);
        }
        // det = 0(3−0) − 2(3−0) + 1(0−2) = −8
        let (log, sign) = lu.log_abs_det();
        assert!((sign * log.exp() + 8.0).abs() < 1e-12);
        assert!(Lu::new(&[1.0, 2.0, 2.0, 4.0], 2).is_none());
    }

    /// Data matrices give constants; SPD parameter matrices give the same
    /// values as the data computation and gradients that match finite
    /// differences; a general parameter matrix is a clear error.
    #[test]
    fn solves_of_data_and_of_spd_parameters() {
        let src = "data { matrix[2, 2] A; vector[2] b; }
                   parameters { real<lower=0> s; vector[2] z; }
                   transformed parameters {
                     matrix[2, 2] S = [[1 + s, 0.5], [0.5, 2]];
                     vector[2] x1 = A \\ b;
                     row_vector[2] x2 = b' / A;
                     matrix[2, 2] ai = inverse(A);
                     real ld = log_determinant(A);
                     real de = determinant(A);
                     vector[2] y1 = mdivide_left_spd(S, z);
                     row_vector[2] y2 = mdivide_right_spd(z', S);
                     matrix[2, 2] si = inverse_spd(S);
                     real lds = log_determinant_spd(S);
                     vector[2] w = A \\ z;
                   }
                   model { target += sum(y1) + sum(y2) + sum(si) + lds + sum(w) - 0.5 * dot_self(z); }";
        let data = serde_json::json!({"A": [[0.0, 2.0], [1.0, 1.0]], "b": [1.0, 3.0]});
        let m = StanModel::build(src, "la.stan", &data).unwrap_or_else(|d| panic!("{}", crate::render_diagnostics(&d, "la.stan", src)));
        let y = [0.3, 0.7, -1.1];
        let mut out = Vec::new();
        m.outputs(1, 0).unwrap().row(&y, &mut out).unwrap();
        let get = |n: &str| out[m.output_names.iter().position(|x| x == n).unwrap_or_else(|| panic!("{n}"))];
        // A = [[0, 2], [1, 1]]: A⁻¹ = [[−0.5, 1], [0.5, 0]], det −2.
        assert!((get("x1[1]") - 2.5).abs() < 1e-14 && (get("x1[2]") - 0.5).abs() < 1e-14);
        // bᵀ A⁻¹ = [1·(−0.5) + 3·0.5, 1·1 + 0] = [1, 1]
        assert!((get("x2[1]") - 1.0).abs() < 1e-14 && (get("x2[2]") - 1.0).abs() < 1e-14);
        assert!((get("ai[1,1]") + 0.5).abs() < 1e-14 && (get("ai[1,2]") - 1.0).abs() < 1e-14);
        assert!((get("ld") - 2f64.ln()).abs() < 1e-14 && (get("de") + 2.0).abs() < 1e-14);
        let s = 0.3f64.exp();
        let (a11, a12, a22) = (1.0 + s, 0.5, 2.0);
        let det = a11 * a22 - a12 * a12;
        let inv = [a22 / det, -a12 / det, -a12 / det, a11 / det];
        let z = [0.7, -1.1];
        for i in 0..2 {
            let want = inv[i * 2] * z[0] + inv[i * 2 + 1] * z[1];
            assert!((get(&format!("y1[{}]", i + 1)) - want).abs() < 1e-13);
            assert!((get(&format!("y2[{}]", i + 1)) - want).abs() < 1e-13, "S is symmetric: zᵀS⁻¹ = (S⁻¹z)ᵀ");
            for j in 0..2 {
                assert!((get(&format!("si[{},{}]", i + 1, j + 1)) - inv[i * 2 + j]).abs() < 1e-13);
            }
        }
        assert!((get("lds") - det.ln()).abs() < 1e-13);
        crate::lower::assert_gradient_matches_fd(&m, &y);

        let bad = "parameters { real s; } model { matrix[2, 2] M = [[s, 1], [1, 2]]; target += log_determinant(M); }";
        let e = match StanModel::build(bad, "la.stan", &serde_json::json!({})) {
            Ok(_) => panic!("accepted"),
            Err(d) => crate::render_diagnostics(&d, "la.stan", bad),
        };
        assert!(e.contains("log_determinant of a matrix that depends on parameters is not supported"), "{e}");
        let bad = "data { matrix[2, 2] A; } transformed data { matrix[2, 2] B = inverse(A); }";
        let e = match StanModel::build(bad, "la.stan", &serde_json::json!({"A": [[1.0, 2.0], [2.0, 4.0]]})) {
            Ok(_) => panic!("accepted"),
            Err(d) => crate::render_diagnostics(&d, "la.stan", bad),
        };
        assert!(e.contains("singular"), "{e}");
    }
}
