//! Gaussian-process covariance functions of Stan's library, written element
//! by element with graph scalars (exact gradients in the hyperparameters):
//!
//! | function | `k(x, x')` |
//! |---|---|
//! | `gp_exp_quad_cov(x, α, ρ)` (old name `cov_exp_quad`) | `α² exp(−r²/2)` |
//! | `gp_exponential_cov(x, α, ρ)` | `α² exp(−r)` |
//! | `gp_matern32_cov(x, α, ρ)` | `α² (1 + √3 r) exp(−√3 r)` |
//! | `gp_matern52_cov(x, α, ρ)` | `α² (1 + √5 r + 5r²/3) exp(−√5 r)` |
//! | `gp_periodic_cov(x, α, ρ, p)` | `α² exp(−2 sin²(π d / p) / ρ²)` |
//! | `gp_dot_prod_cov(x, σ)` | `σ² + x·x'` |
//!
//! with `d = ‖x − x'‖` and `r = d/ρ`, or with one length scale per
//! dimension (`ρ` an array, "ARD"), `r² = Σₖ ((xₖ − x'ₖ)/ρₖ)²`. `x` is an
//! array of reals or of vectors; with two point sets `(x1, x2, …)` the result
//! is the `N1 × N2` cross-covariance. Points must be data.

use super::interp::{const_elems, Interp, LowerError, R};
use super::value::{Repr, Sc, TKind, Tensor, Val};
use crate::token::Span;
use exmc_model::{BinaryFn, UnaryFn};
use std::sync::Arc;

/// The stationary kernels, as functions of the scaled distance.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kernel {
    ExpQuad,
    Exponential,
    Matern32,
    Matern52,
}

/// Whether `name` is a GP covariance function handled here.
pub(crate) fn is_gp(name: &str) -> bool {
    NAMES.contains(&name)
}

pub(crate) const NAMES: [&str; 7] = [
    "gp_exp_quad_cov",
    "cov_exp_quad",
    "gp_exponential_cov",
    "gp_matern32_cov",
    "gp_matern52_cov",
    "gp_periodic_cov",
    "gp_dot_prod_cov",
];

impl<'p> Interp<'p> {
    /// `name(args)` for a GP covariance function (see the module table).
    pub(crate) fn gp_cov(&mut self, name: &str, args: &[Val], span: Span) -> R<Val> {
        let n_hyper = match name {
            "gp_periodic_cov" => 3,
            "gp_dot_prod_cov" => 1,
            _ => 2,
        };
        let cross = match args.len().checked_sub(n_hyper) {
            Some(1) => false,
            Some(2) => true,
            _ => return Err(LowerError::new(span, format!("{name} takes the points (one or two sets) and {n_hyper} more arguments"))),
        };
        let x1 = points(name, &args[0], span)?;
        let x2 = if cross { points(name, &args[1], span)? } else { x1.clone() };
        if let Some(p) = x1.iter().chain(&x2).find(|p| p.len() != x1[0].len()) {
            return Err(LowerError::new(span, format!("{name}: the points have different dimensions ({} and {})", x1[0].len(), p.len())));
        }
        let hyper = self.gp_hyper(name, &args[args.len() - n_hyper..], x1[0].len(), span)?;
        let (n1, n2) = (x1.len(), x2.len());
        let mut out = vec![Sc::C(0.0); n1 * n2];
        for i in 0..n1 {
            // The symmetric form computes the lower triangle once.
            let j_end = if cross { n2 } else { i + 1 };
            for j in 0..j_end {
                let v = self.gp_entry(&hyper, &x1[i], &x2[j]);
                out[i * n2 + j] = v;
                if !cross {
                    out[j * n2 + i] = v;
                }
            }
        }
        Ok(Val::Tensor(Tensor { kind: TKind::Matrix(n1, n2), repr: Repr::Elems(Arc::new(out)) }))
    }

    /// The hyperparameters in the form the entries use, computed once per call.
    fn gp_hyper(&mut self, name: &str, hyper: &[Val], dim: usize, span: Span) -> R<Hyper> {
        let scale = self.as_sc(&hyper[0], span, "the magnitude (alpha / sigma)")?;
        let a2 = self.sc_mul(scale, scale);
        let kernel = match name {
            "gp_exp_quad_cov" | "cov_exp_quad" => Kernel::ExpQuad,
            "gp_exponential_cov" => Kernel::Exponential,
            "gp_matern32_cov" => Kernel::Matern32,
            "gp_matern52_cov" => Kernel::Matern52,
            "gp_periodic_cov" => {
                // −2/ρ² and π/p
                let rho = self.as_sc(&hyper[1], span, "the length scale")?;
                let p = self.as_sc(&hyper[2], span, "the period")?;
                let rho2 = self.sc_mul(rho, rho);
                let c = self.sc_bin(BinaryFn::Div, Sc::C(-2.0), rho2);
                let pi_over_p = self.sc_bin(BinaryFn::Div, Sc::C(std::f64::consts::PI), p);
                return Ok(Hyper { a2, form: Form::Periodic { c, pi_over_p } });
            }
            "gp_dot_prod_cov" => return Ok(Hyper { a2, form: Form::DotProd }),
            _ => return Err(LowerError::new(span, format!("'{name}' is not a GP covariance function"))),
        };
        let form = match &hyper[1] {
            Val::Array(rhos) => {
                if rhos.len() != dim {
                    return Err(LowerError::new(span, format!("{name}: {} length scales for points of dimension {dim}", rhos.len())));
                }
                let mut inv2 = Vec::with_capacity(dim);
                for rk in rhos {
                    let rk = self.as_sc(rk, span, "a length scale")?;
                    let rk2 = self.sc_mul(rk, rk);
                    inv2.push(self.sc_bin(BinaryFn::Div, Sc::C(1.0), rk2));
                }
                Form::Ard { kernel, inv_rho2: inv2 }
            }
            rho => {
                let rho = self.as_sc(rho, span, "the length scale")?;
                if kernel == Kernel::ExpQuad {
                    let rho2 = self.sc_mul(rho, rho);
                    Form::ExpQuad { c: self.sc_bin(BinaryFn::Div, Sc::C(-0.5), rho2) }
                } else {
                    Form::Scaled { kernel, inv_rho: self.sc_bin(BinaryFn::Div, Sc::C(1.0), rho) }
                }
            }
        };
        Ok(Hyper { a2, form })
    }

    /// One entry `k(u, v)`.
    fn gp_entry(&mut self, h: &Hyper, u: &[f64], v: &[f64]) -> Sc {
        let diff: Vec<f64> = u.iter().zip(v).map(|(a, b)| a - b).collect();
        let d2: f64 = diff.iter().map(|x| x * x).sum();
        let k = match &h.form {
            Form::DotProd => {
                let dot: f64 = u.iter().zip(v).map(|(a, b)| a * b).sum();
                return self.sc_bin(BinaryFn::Add, h.a2, Sc::C(dot));
            }
            _ if d2 == 0.0 => return h.a2,
            Form::Periodic { c, pi_over_p } => {
                // exp(−2 sin²(π d / p) / ρ²)
                let arg = self.sc_mul(Sc::C(d2.sqrt()), *pi_over_p);
                let s = self.sc_un(UnaryFn::Sin, arg);
                let s2 = self.sc_mul(s, s);
                let e = self.sc_mul(*c, s2);
                self.sc_un(UnaryFn::Exp, e)
            }
            Form::ExpQuad { c } => {
                let e = self.sc_mul(Sc::C(d2), *c);
                self.sc_un(UnaryFn::Exp, e)
            }
            Form::Scaled { kernel, inv_rho } => {
                let r = self.sc_mul(Sc::C(d2.sqrt()), *inv_rho);
                self.stationary(*kernel, r, None)
            }
            Form::Ard { kernel, inv_rho2 } => {
                let mut r2 = Sc::C(0.0);
                for (dk, w) in diff.iter().zip(inv_rho2) {
                    if *dk != 0.0 {
                        let t = self.sc_mul(Sc::C(dk * dk), *w);
                        r2 = self.sc_bin(BinaryFn::Add, r2, t);
                    }
                }
                if *kernel == Kernel::ExpQuad {
                    let e = self.sc_mul(Sc::C(-0.5), r2);
                    self.sc_un(UnaryFn::Exp, e)
                } else {
                    let r = self.sc_un(UnaryFn::Sqrt, r2);
                    self.stationary(*kernel, r, Some(r2))
                }
            }
        };
        self.sc_mul(h.a2, k)
    }

    /// The unit-magnitude kernel at scaled distance `r > 0` (`r2` = r² when known).
    fn stationary(&mut self, kernel: Kernel, r: Sc, r2: Option<Sc>) -> Sc {
        match kernel {
            Kernel::ExpQuad => {
                let r2 = r2.unwrap_or_else(|| self.sc_mul(r, r));
                let e = self.sc_mul(Sc::C(-0.5), r2);
                self.sc_un(UnaryFn::Exp, e)
            }
            Kernel::Exponential => {
                let e = self.sc_un(UnaryFn::Neg, r);
                self.sc_un(UnaryFn::Exp, e)
            }
            Kernel::Matern32 | Kernel::Matern52 => {
                let c = if kernel == Kernel::Matern32 { 3f64.sqrt() } else { 5f64.sqrt() };
                let cr = self.sc_mul(Sc::C(c), r);
                let mut poly = self.sc_bin(BinaryFn::Add, Sc::C(1.0), cr);
                if kernel == Kernel::Matern52 {
                    let r2 = r2.unwrap_or_else(|| self.sc_mul(r, r));
                    let t = self.sc_mul(Sc::C(5.0 / 3.0), r2);
                    poly = self.sc_bin(BinaryFn::Add, poly, t);
                }
                let e = self.sc_un(UnaryFn::Neg, cr);
                let e = self.sc_un(UnaryFn::Exp, e);
                self.sc_mul(poly, e)
            }
        }
    }
}

/// Hyperparameters prepared once per call: the squared magnitude and what
/// each entry multiplies its distance by.
struct Hyper {
    a2: Sc,
    form: Form,
}

enum Form {
    /// `exp(c d²)`, `c = −1/(2ρ²)`.
    ExpQuad { c: Sc },
    /// A kernel of `r = d / ρ`.
    Scaled { kernel: Kernel, inv_rho: Sc },
    /// A kernel of `r² = Σₖ Δₖ² / ρₖ²`.
    Ard { kernel: Kernel, inv_rho2: Vec<Sc> },
    /// `exp(c sin²(d π/p))`, `c = −2/ρ²`.
    Periodic { c: Sc, pi_over_p: Sc },
    DotProd,
}

/// The points of a GP kernel: an array of reals (1-D points) or of vectors.
fn points(name: &str, x: &Val, span: Span) -> R<Vec<Vec<f64>>> {
    let Val::Array(items) = x else {
        return Err(LowerError::new(span, format!("{name} needs an array of points, found {}", x.type_name())));
    };
    if items.is_empty() {
        return Err(LowerError::new(span, format!("{name}: the array of points is empty")));
    }
    items
        .iter()
        .map(|p| {
            const_elems(p).ok_or_else(|| LowerError::new(span, format!("{name}: points that depend on parameters are not supported yet")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lower::StanModel;

    /// Every kernel against its formula at a point, and its gradient in the
    /// hyperparameters against central finite differences.
    #[test]
    fn kernels_match_their_formulas_and_finite_differences() {
        let src = "data { array[3] real x; array[2] vector[2] v; }
                   parameters { real<lower=0> a; real<lower=0> r; real<lower=0> p; array[2] real<lower=0> rs; }
                   transformed parameters {
                     matrix[3, 3] eq = gp_exp_quad_cov(x, a, r);
                     matrix[3, 3] ex = gp_exponential_cov(x, a, r);
                     matrix[3, 3] m3 = gp_matern32_cov(x, a, r);
                     matrix[3, 3] m5 = gp_matern52_cov(x, a, r);
                     matrix[3, 3] pe = gp_periodic_cov(x, a, r, p);
                     matrix[3, 2] cr = gp_matern32_cov(x, {0.5, 4.0}, a, r);
                     matrix[2, 2] ard = gp_exp_quad_cov(v, a, rs);
                     matrix[3, 3] dp = gp_dot_prod_cov(x, a);
                   }
                   model {
                     target += sum(eq) + sum(ex) + sum(m3) + sum(m5) + sum(pe) + sum(cr) + sum(ard) + sum(dp);
                   }";
        let data = serde_json::json!({"x": [0.0, 1.0, 2.5], "v": [[0.0, 1.0], [2.0, -1.0]]});
        let m = StanModel::build(src, "gp.stan", &data).unwrap_or_else(|d| panic!("{}", crate::render_diagnostics(&d, "gp.stan", src)));
        // Unconstrained point: a = e^0.2, r = e^-0.3, p = e^0.9, rs = (e^0.1, e^0.4).
        let y = [0.2, -0.3, 0.9, 0.1, 0.4];
        let (a, r, p) = (0.2f64.exp(), (-0.3f64).exp(), 0.9f64.exp());
        let rs = [0.1f64.exp(), 0.4f64.exp()];
        let mut out = Vec::new();
        m.outputs(1, 0).unwrap().row(&y, &mut out).unwrap();
        let get = |n: &str| out[m.output_names.iter().position(|x| x == n).unwrap_or_else(|| panic!("{n}"))];
        let (s3, s5) = (3f64.sqrt(), 5f64.sqrt());
        let x = [0.0, 1.0, 2.5];
        for i in 0..3 {
            for j in 0..3 {
                let d = (x[i] - x[j]) as f64;
                let q = d.abs() / r;
                let at = |n: &str| get(&format!("{n}[{},{}]", i + 1, j + 1));
                let close = |got: f64, want: f64, n: &str| assert!((got - want).abs() < 1e-12 * want.abs().max(1.0), "{n}[{i},{j}]: {got} vs {want}");
                close(at("eq"), a * a * (-0.5 * q * q).exp(), "eq");
                close(at("ex"), a * a * (-q).exp(), "ex");
                close(at("m3"), a * a * (1.0 + s3 * q) * (-s3 * q).exp(), "m3");
                close(at("m5"), a * a * (1.0 + s5 * q + 5.0 / 3.0 * q * q) * (-s5 * q).exp(), "m5");
                let s = (std::f64::consts::PI * d.abs() / p).sin();
                close(at("pe"), a * a * (-2.0 * s * s / (r * r)).exp(), "pe");
                close(at("dp"), a * a + x[i] * x[j], "dp");
            }
            for (j, x2) in [0.5, 4.0].iter().enumerate() {
                let q = (x[i] - x2).abs() / r;
                let want = a * a * (1.0 + s3 * q) * (-s3 * q).exp();
                let got = get(&format!("cr[{},{}]", i + 1, j + 1));
                assert!((got - want).abs() < 1e-12, "cr: {got} vs {want}");
            }
        }
        let r2 = (2.0 / rs[0]).powi(2) + (2.0 / rs[1]).powi(2);
        assert!((get("ard[1,2]") - a * a * (-0.5 * r2).exp()).abs() < 1e-12);
        assert_eq!(get("ard[2,2]"), a * a);

        crate::lower::assert_gradient_matches_fd(&m, &y);
    }

    #[test]
    fn bad_kernel_arguments_are_errors() {
        let err = |src: &str| match StanModel::build(src, "gp.stan", &serde_json::json!({"x": [0.0, 1.0]})) {
            Ok(_) => panic!("accepted: {src}"),
            Err(d) => crate::render_diagnostics(&d, "gp.stan", src),
        };
        let e = err("data { array[2] real x; } parameters { real<lower=0> a; array[2] real z; }
                     model { matrix[2, 2] K = gp_matern52_cov(z, a, 1.0); target += sum(K); }");
        assert!(e.contains("points that depend on parameters"), "{e}");
        let e = err("data { array[2] real x; } parameters { real<lower=0> a; }
                     model { matrix[2, 2] K = gp_exp_quad_cov({[1, 2]', [3, 4]'}, a, {1.0, 2.0, 3.0}); target += sum(K); }");
        assert!(e.contains("3 length scales for points of dimension 2"), "{e}");
    }
}
