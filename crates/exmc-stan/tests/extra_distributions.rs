//! The distributions and functions added for Stan coverage, through the Stan
//! front end: each density used by `~` and by `target += name_lpdf(y | ...)`
//! must equal the exmc-math kernel summed over the data, in value and in
//! gradient (chain rule through the program's `exp` / `inv_logit` of the
//! unconstrained parameters); `_lcdf` / `_lccdf` / non-log `_cdf` likewise; the
//! functions `trigamma`, `beta`, `gamma_p`, `gamma_q`, `owens_t` against
//! exmc-math's values and against finite differences of the model's value.

use exmc_core::LogDensity;
use exmc_math::dist::*;
use exmc_stan::StanModel;

fn build(src: &str, data: serde_json::Value) -> StanModel {
    StanModel::build(src, "m.stan", &data).unwrap_or_else(|d| panic!("{}", exmc_stan::render_diagnostics(&d, "m.stan", src)))
}

fn logp_grad(m: &StanModel, x: &[f64]) -> (f64, Vec<f64>) {
    let mut g = vec![0.0; x.len()];
    let lp = m.compiled.density::<f64>().logp_grad(x, &mut g).unwrap_or_else(|e| panic!("{e:?}"));
    (lp, g)
}

/// How a parameter is built from an unconstrained `real`.
#[derive(Clone, Copy)]
enum P {
    /// `r`
    Real,
    /// `exp(r)`
    Pos,
    /// `inv_logit(r)`
    Unit,
}

impl P {
    fn expr(self, r: &str) -> String {
        match self {
            P::Real => r.to_string(),
            P::Pos => format!("exp({r})"),
            P::Unit => format!("inv_logit({r})"),
        }
    }
    fn value(self, r: f64) -> f64 {
        match self {
            P::Real => r,
            P::Pos => r.exp(),
            P::Unit => 1.0 / (1.0 + (-r).exp()),
        }
    }
    fn dvalue(self, r: f64) -> f64 {
        match self {
            P::Real => 1.0,
            P::Pos => r.exp(),
            P::Unit => {
                let v = self.value(r);
                v * (1.0 - v)
            }
        }
    }
}

type Kernel = fn(f64, &[f64], &mut [f64]) -> f64;

/// `statement` is `"~"`, `"lpdf"`, `"lcdf"`, `"lccdf"` or `"cdf"`.
fn program(name: &str, ps: &[P], statement: &str, discrete: bool) -> String {
    let decl: String = (0..ps.len()).map(|i| format!("real r{i}; ")).collect();
    let args: Vec<String> = ps.iter().enumerate().map(|(i, p)| p.expr(&format!("r{i}"))).collect();
    let args = args.join(", ");
    let ydecl = if discrete { "array[N] int y;" } else { "vector[N] y;" };
    let body = match statement {
        "~" => format!("y ~ {name}({args});"),
        "cdf" => format!("target += log({name}_cdf(y | {args}));"),
        s => format!("target += {name}_{s}(y | {args});"),
    };
    format!("data {{ int N; {ydecl} }} parameters {{ {decl}}} model {{ {body} }}")
}

/// The model's value and gradient at `r` equal `Σ kernel(y_i, p)` and its
/// chain-ruled partials.
fn check(name: &str, ps: &[P], ys: &[f64], points: &[Vec<f64>], statement: &str, kernel: Kernel, discrete: bool) {
    let data = if discrete {
        serde_json::json!({"N": ys.len(), "y": ys.iter().map(|&v| v as i64).collect::<Vec<_>>()})
    } else {
        serde_json::json!({"N": ys.len(), "y": ys})
    };
    let src = program(name, ps, statement, discrete);
    let m = build(&src, data);
    for r in points {
        let p: Vec<f64> = ps.iter().zip(r).map(|(k, &v)| k.value(v)).collect();
        let mut want = 0.0;
        let mut grad = vec![0.0; ps.len()];
        for &y in ys {
            let mut d = vec![0.0; ps.len() + 1];
            want += kernel(y, &p, &mut d);
            for k in 0..ps.len() {
                grad[k] += d[k + 1] * ps[k].dvalue(r[k]);
            }
        }
        let (got, g) = logp_grad(&m, r);
        assert!((got - want).abs() <= 1e-10 * want.abs().max(1.0), "{src} at {r:?}: {got} vs kernel {want}");
        for k in 0..ps.len() {
            assert!((g[k] - grad[k]).abs() <= 1e-9 * grad[k].abs().max(1.0), "{src} ∂r{k} at {r:?}: {} vs kernel {}", g[k], grad[k]);
        }
    }
}

fn lpdf<D: Continuous>(x: f64, p: &[f64], d: &mut [f64]) -> f64 {
    D::lpdf(x, p, d).unwrap()
}
fn lcdf<D: Cdf>(x: f64, p: &[f64], d: &mut [f64]) -> f64 {
    D::lcdf(x, p, d).unwrap()
}
fn lccdf<D: Cdf>(x: f64, p: &[f64], d: &mut [f64]) -> f64 {
    D::lccdf(x, p, d).unwrap()
}
fn lpmf<D: Discrete>(x: f64, p: &[f64], d: &mut [f64]) -> f64 {
    D::lpmf(&[x as i64], p, &mut d[1..]).unwrap()
}

fn cont_all<D: Cdf>(name: &str, ps: &[P], ys: &[f64], points: &[Vec<f64>]) {
    check(name, ps, ys, points, "~", lpdf::<D>, false);
    check(name, ps, ys, points, "lpdf", lpdf::<D>, false);
    check(name, ps, ys, points, "lupdf", lpdf::<D>, false);
    check(name, ps, ys, points, "lcdf", lcdf::<D>, false);
    check(name, ps, ys, points, "lccdf", lccdf::<D>, false);
    // log(name_cdf(y | ...)) = Σ lcdf
    check(name, ps, ys, points, "cdf", lcdf::<D>, false);
}

#[test]
fn continuous_distributions_equal_their_kernels() {
    use P::*;
    let pts3 = vec![vec![0.2, -0.3, 0.5], vec![-0.4, 0.1, -1.2]];
    let pts2 = vec![vec![0.2, -0.3], vec![-0.4, 0.6]];
    let pts1 = vec![vec![0.3], vec![-0.5]];
    let pos = [0.3, 1.1, 2.4, 0.8];
    cont_all::<SkewNormal>("skew_normal", &[Real, Pos, Real], &[-0.5, 0.3, 1.7], &pts3);
    cont_all::<ExpModNormal>("exp_mod_normal", &[Real, Pos, Pos], &[-0.5, 0.3, 1.7], &pts3);
    cont_all::<InvChiSquare>("inv_chi_square", &[Pos], &pos, &pts1);
    cont_all::<ScaledInvChiSquare>("scaled_inv_chi_square", &[Pos, Pos], &pos, &pts2);
    cont_all::<Rayleigh>("rayleigh", &[Pos], &pos, &pts1);
    // y ≥ y_min = exp(r0) ≤ e^0.2: data above 1.3
    cont_all::<Pareto>("pareto", &[Pos, Pos], &[1.3, 2.0, 4.5], &pts2);
    cont_all::<ParetoType2>("pareto_type_2", &[Real, Pos, Pos], &[0.3, 1.1, 2.4], &pts3);
    cont_all::<Frechet>("frechet", &[Pos, Pos], &pos, &pts2);
    cont_all::<BetaProportion>("beta_proportion", &[Unit, Pos], &[0.1, 0.45, 0.8], &pts2);
    cont_all::<SkewDoubleExponential>("skew_double_exponential", &[Real, Pos, Unit], &[-0.5, 0.3, 1.7], &pts3);
}

#[test]
fn discrete_distributions_equal_their_kernels() {
    use P::*;
    let pts = vec![vec![0.2, -0.3], vec![-0.4, 0.6], vec![1.5, 2.0]];
    let ys = [0.0, 1.0, 4.0, 9.0];
    check("neg_binomial", &[Pos, Pos], &ys, &pts, "~", lpmf::<NegBinomial>, true);
    check("neg_binomial", &[Pos, Pos], &ys, &pts, "lpmf", lpmf::<NegBinomial>, true);
    check("neg_binomial_2_log", &[Real, Pos], &ys, &pts, "~", lpmf::<NegBinomial2Log>, true);
    check("neg_binomial_2_log", &[Real, Pos], &ys, &pts, "lupmf", lpmf::<NegBinomial2Log>, true);
}

#[test]
fn special_functions_value_and_gradient() {
    use exmc_math::special as sp;
    // (Stan expression of parameters a = exp(r0) + 0.2, b = exp(r1), its value)
    type Val = fn(f64, f64) -> f64;
    let cases: [(&str, Val); 6] = [
        ("trigamma(a) + trigamma(b)", |a, b| sp::trigamma_f64(a) + sp::trigamma_f64(b)),
        ("beta(a, b)", |a, b| sp::lbeta_f64(a, b).exp()),
        ("gamma_p(a, b)", |a, b| sp::gamma_p(a, b)),
        ("gamma_q(a, b)", |a, b| sp::gamma_q(a, b)),
        ("owens_t(a - 1, b)", |a, b| sp::owens_t_f64(a - 1.0, b)),
        ("normal_cdf(b | a, 1.5) + normal_lcdf(b | a, 1.5)", |a, b| {
            let l = Normal::lcdf(b, &[a, 1.5], &mut [0.0; 3]).unwrap();
            l.exp() + l
        }),
    ];
    for (e, f) in cases {
        let src = format!("parameters {{ real r0; real r1; }} model {{ real a = exp(r0) + 0.2; real b = exp(r1); target += {e}; }}");
        let m = build(&src, serde_json::json!({}));
        for r in [[0.1f64, -0.2], [0.9, 0.7], [-1.0, 1.3]] {
            let (a, b) = (r[0].exp() + 0.2, r[1].exp());
            let (got, g) = logp_grad(&m, &r);
            let want = f(a, b);
            assert!((got - want).abs() <= 1e-12 * want.abs().max(1.0), "{e} at {r:?}: {got} vs {want}");
            for k in 0..2 {
                let h = 1e-5;
                let mut rp = r;
                rp[k] += h;
                let mut rm = r;
                rm[k] -= h;
                let fd = (logp_grad(&m, &rp).0 - logp_grad(&m, &rm).0) / (2.0 * h);
                assert!((g[k] - fd).abs() <= 1e-6 * fd.abs().max(1.0), "{e} ∂r{k} at {r:?}: {} vs fd {fd}", g[k]);
            }
        }
    }
}

#[test]
fn bad_arguments_are_reported_with_their_names() {
    // A data-only call is evaluated at build time: the kernel's error names the argument.
    let src = "transformed data { real v = beta_proportion_lpdf(0.5 | 1.5, 2); } parameters { real x; } model { x ~ normal(0, 1); }";
    let msg = match StanModel::build(src, "m.stan", &serde_json::json!({})) {
        Ok(_) => panic!("beta_proportion with mu = 1.5 must be rejected"),
        Err(d) => exmc_stan::render_diagnostics(&d, "m.stan", src),
    };
    assert!(msg.contains("beta_proportion") && msg.contains("mu"), "{msg}");
    for (call, arg) in [("gamma_p(-1, 2)", "'a'"), ("gamma_q(1, -2)", "'x'"), ("beta(1, 0)", "'b'")] {
        let src = format!("transformed data {{ real v = {call}; }} parameters {{ real x; }} model {{ x ~ normal(0, 1); }}");
        let msg = match StanModel::build(&src, "m.stan", &serde_json::json!({})) {
            Ok(_) => panic!("{call} must be rejected"),
            Err(d) => exmc_stan::render_diagnostics(&d, "m.stan", &src),
        };
        assert!(msg.contains(arg), "{call}: {msg}");
    }
}

#[test]
fn generators_are_callable() {
    let src = "transformed data {
        real v = skew_normal_rng(0, 1, 2) + exp_mod_normal_rng(0, 1, 2) + inv_chi_square_rng(3)
               + scaled_inv_chi_square_rng(3, 1) + rayleigh_rng(1) + pareto_rng(1, 2) + pareto_type_2_rng(0, 1, 2)
               + frechet_rng(2, 1) + beta_proportion_rng(0.3, 4) + skew_double_exponential_rng(0, 1, 0.3);
        int k = neg_binomial_rng(2, 0.5) + neg_binomial_2_log_rng(1, 3);
        if (is_nan(v) || is_inf(v) || k < 0) reject(\"bad draw \", v, \" \", k);
      }
      parameters { real x; } model { x ~ normal(0, 1); }";
    build(src, serde_json::json!({}));
}

/// A vector location with scalar scale / shape (the vectorised call that
/// evaluates the scale-only terms once): equal to the per-element kernel sum.
#[test]
fn vector_locations_with_scalar_scales() {
    fn run<D: Continuous>(name: &str, third: P) {
        let ys = [-0.5, 0.3, 1.7, 2.2];
        let off = [0.1, -0.4, 0.25, -1.0];
        let src = format!(
            "data {{ int N; vector[N] y; vector[N] off; }} parameters {{ real r0; real r1; real r2; }}
             model {{ y ~ {name}(r0 + off, exp(r1), {}); }}",
            third.expr("r2")
        );
        let m = build(&src, serde_json::json!({"N": 4, "y": ys, "off": off}));
        for r in [[-1.5f64, 0.2, 0.3], [-3.0, -0.5, -0.8]] {
            let (s, t) = (r[1].exp(), third.value(r[2]));
            let (mut want, mut g) = (0.0, [0.0; 3]);
            for (y, o) in ys.iter().zip(off) {
                let mut d = [0.0; 4];
                want += D::lpdf(*y, &[r[0] + o, s, t], &mut d).unwrap();
                g[0] += d[1];
                g[1] += d[2] * s;
                g[2] += d[3] * third.dvalue(r[2]);
            }
            let (got, gg) = logp_grad(&m, &r);
            assert!((got - want).abs() <= 1e-10 * want.abs().max(1.0), "{name} at {r:?}: {got} vs {want}");
            for k in 0..3 {
                assert!((gg[k] - g[k]).abs() <= 1e-9 * g[k].abs().max(1.0), "{name} ∂r{k}: {} vs {}", gg[k], g[k]);
            }
        }
    }
    run::<SkewNormal>("skew_normal", P::Real);
    run::<ExpModNormal>("exp_mod_normal", P::Pos);
    run::<ParetoType2>("pareto_type_2", P::Pos);
    run::<SkewDoubleExponential>("skew_double_exponential", P::Unit);
}
