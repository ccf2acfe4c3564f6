//! The lowering runs Stan's control flow exactly: loops with break and
//! continue, while, recursion, compound assignment, element-wise locals,
//! and generated quantities computed from the draw; legacy `if_else`,
//! conditions on parameters as selects, `quad_form`, `target()` with the
//! constraints' log-Jacobians, in-place element assignment, and old-style
//! loops equal to their vectorised form (log densities by hand or against an
//! equivalent program, gradients against finite differences).

use exmc_core::LogDensity;
use exmc_stan::StanModel;

const PROGRAM: &str = r#"
functions {
  int fib(int n) {
    if (n < 2) return n;
    return fib(n - 1) + fib(n - 2);
  }
  real twice(real x) { return 2 * x; }
}
data {
  int<lower=1> N;
  vector[N] y;
}
transformed data {
  int s = 0;
  for (i in 1:10) {
    if (i == 3) continue;
    if (i == 8) break;
    s += i;
  }
  int w = 0;
  while (w < 5) w += 2;
  int f = fib(10);
  array[3] int picked = {3, 1, 2};
}
parameters {
  real mu;
}
transformed parameters {
  vector[N] centred;
  for (n in 1:N) centred[n] = y[n] - mu;
}
model {
  mu ~ normal(0, 1);
  y ~ normal(mu, 1);
}
generated quantities {
  int s_out = s;
  int w_out = w;
  int f_out = f;
  real m2 = twice(mu);
  real y_sel = sum(y[picked]);
  real ss = dot_self(centred);
}
"#;

#[test]
fn control_flow_functions_and_generated_quantities() {
    let data = serde_json::json!({"N": 3, "y": [1.0, 2.0, 4.0]});
    let m = StanModel::build(PROGRAM, "lang.stan", &data).unwrap_or_else(|d| panic!("{}", exmc_stan::render_diagnostics(&d, "lang.stan", PROGRAM)));
    assert_eq!(
        m.output_names,
        ["mu", "centred[1]", "centred[2]", "centred[3]", "s_out", "w_out", "f_out", "m2", "y_sel", "ss"]
    );
    let mut out = Vec::new();
    m.outputs(1, 0).unwrap().row(&[0.5], &mut out).unwrap();
    let expected = [0.5, 0.5, 1.5, 3.5, 25.0, 6.0, 55.0, 1.0, 7.0, 0.25 + 2.25 + 12.25];
    for (i, (a, b)) in out.iter().zip(expected).enumerate() {
        assert!((a - b).abs() < 1e-12, "{}: {a} vs {b}", m.output_names[i]);
    }
    // The log density: N(mu | 0, 1) + Σ N(y | mu, 1), with constants.
    let mut g = [0.0];
    let lp = m.compiled.density::<f64>().logp_grad(&[0.5], &mut g).unwrap();
    let c = -0.5 * (2.0 * std::f64::consts::PI).ln();
    let expected_lp = 4.0 * c - 0.5 * (0.25 + 0.25 + 2.25 + 12.25);
    assert!((lp - expected_lp).abs() < 1e-12, "{lp} vs {expected_lp}");
    assert!((g[0] - (-0.5 + 0.5 + 1.5 + 3.5)).abs() < 1e-12);
}

#[test]
fn parameter_dependent_loops_are_a_clear_error() {
    let src = "parameters { real mu; } model { real s = 0; while (s < mu) s += 1; mu ~ normal(0, 1); }";
    let err = match StanModel::build(src, "m.stan", &serde_json::json!({})) {
        Ok(_) => panic!("must not lower"),
        Err(d) => exmc_stan::render_diagnostics(&d, "m.stan", src),
    };
    assert!(err.contains("depends on parameters") && err.contains("m.stan:1:"), "{err}");
}

#[test]
fn unsupported_functions_are_named() {
    let src = "data { int N; } parameters { real mu; } model { mu ~ normal(0, 1); target += wishart_lpdf(diag_matrix(rep_vector(1, 2)) | 3, diag_matrix(rep_vector(1, 2))); }";
    let err = match StanModel::build(src, "m.stan", &serde_json::json!({"N": 1})) {
        Ok(_) => panic!("must not lower"),
        Err(d) => exmc_stan::render_diagnostics(&d, "m.stan", src),
    };
    assert!(err.contains("wishart_lpdf") && err.contains("not supported"), "{err}");
}

#[test]
fn temporary_data_rows_are_not_confused() {
    // Regression: rows of a data matrix built afresh in each statement once
    // shared a cache entry (a freed address reused), giving theta2 the prior
    // of row 1. The log density must be dirichlet(4,2) + dirichlet(2,4).
    let src = "data { matrix[2, 2] alpha; } parameters { simplex[2] theta1; simplex[2] theta2; } \
               model { theta1 ~ dirichlet(alpha[1]'); theta2 ~ dirichlet(alpha[2]'); }";
    let data = serde_json::json!({"alpha": [[4, 2], [2, 4]]});
    let m = StanModel::build(src, "m.stan", &data).unwrap();
    let same = "data { matrix[2, 2] alpha; } parameters { simplex[2] theta1; simplex[2] theta2; } \
                model { theta1 ~ dirichlet([4, 2]'); theta2 ~ dirichlet([2, 4]'); }";
    let r = StanModel::build(same, "r.stan", &data).unwrap();
    let x = [0.3, -0.4];
    let (mut g1, mut g2) = ([0.0; 2], [0.0; 2]);
    let a = m.compiled.density::<f64>().logp_grad(&x, &mut g1).unwrap();
    let b = r.compiled.density::<f64>().logp_grad(&x, &mut g2).unwrap();
    assert!((a - b).abs() < 1e-12 && (g1[0] - g2[0]).abs() < 1e-12 && (g1[1] - g2[1]).abs() < 1e-12, "{a} vs {b}");
}

/// Log density and gradient of a built model at an unconstrained point.
fn logp_grad(m: &StanModel, x: &[f64]) -> (f64, Vec<f64>) {
    let mut g = vec![0.0; x.len()];
    let lp = m.compiled.density::<f64>().logp_grad(x, &mut g).unwrap_or_else(|e| panic!("logp_grad at {x:?}: {e:?}"));
    (lp, g)
}

fn build(src: &str, data: serde_json::Value) -> StanModel {
    StanModel::build(src, "m.stan", &data).unwrap_or_else(|d| panic!("{}", exmc_stan::render_diagnostics(&d, "m.stan", src)))
}

fn build_err(src: &str, data: serde_json::Value) -> String {
    match StanModel::build(src, "m.stan", &data) {
        Ok(_) => panic!("must not lower: {src}"),
        Err(d) => exmc_stan::render_diagnostics(&d, "m.stan", src),
    }
}

/// Central finite differences of the log density against its gradient.
fn assert_grad_fd(m: &StanModel, x: &[f64]) {
    let (_, g) = logp_grad(m, x);
    for i in 0..x.len() {
        let h = 1e-6 * (1.0 + x[i].abs());
        let (mut xp, mut xm) = (x.to_vec(), x.to_vec());
        xp[i] += h;
        xm[i] -= h;
        let fd = (logp_grad(m, &xp).0 - logp_grad(m, &xm).0) / (2.0 * h);
        assert!((fd - g[i]).abs() < 1e-6 * (1.0 + fd.abs()), "d/dx{i} at {x:?}: gradient {} vs finite difference {fd}", g[i]);
    }
}

#[test]
fn if_else_on_data_picks_a_branch() {
    // Legacy `if_else` with a data condition (an old-style dummy coding).
    let src = "data { int N; array[N] int g; } transformed data { vector[N] d; \
               for (n in 1:N) d[n] <- if_else(g[n] == 2, 1, 0); } \
               parameters { real b; } model { target += -0.5 * dot_self(d * b - 1); } \
               generated quantities { real s = sum(d); }";
    let m = build(src, serde_json::json!({"N": 4, "g": [1, 2, 2, 3]}));
    // d = (0, 1, 1, 0): -0.5 Σ (d b - 1)² = -0.5 (1 + 2 (b - 1)² + 1)
    let b = 0.3;
    let (lp, g) = logp_grad(&m, &[b]);
    assert!((lp - (-0.5 * (2.0 + 2.0 * (b - 1.0) * (b - 1.0)))).abs() < 1e-12, "{lp}");
    assert!((g[0] - (-2.0 * (b - 1.0))).abs() < 1e-12, "{g:?}");
    let mut out = Vec::new();
    m.outputs(1, 0).unwrap().row(&[b], &mut out).unwrap();
    assert_eq!(out, [b, 2.0]);
}

#[test]
fn conditions_on_parameters_lower_to_select() {
    // `?:`, `if_else`, `step`, `fmin`/`fmax` and `!`/`&&` on parameters: the
    // value of the chosen branch, and its gradient.
    let src = "parameters { real x; } model { \
               target += (x > 0 ? -x : 2 * x) + if_else(x <= 0.5 && !(x < -1), x * x, 0.25) \
                         + 3 * step(x) + fmax(x, -0.5) + fmin(x, 1); }";
    let m = build(src, serde_json::json!({}));
    let f = |x: f64| {
        let a = if x > 0.0 { -x } else { 2.0 * x };
        let b = if x <= 0.5 && x >= -1.0 { x * x } else { 0.25 };
        let s = if x < 0.0 { 0.0 } else { 3.0 };
        a + b + s + x.max(-0.5) + x.min(1.0)
    };
    for x in [-2.0, -0.7, -0.2, 0.3, 0.8, 1.7] {
        let (lp, _) = logp_grad(&m, &[x]);
        assert!((lp - f(x)).abs() < 1e-12, "x = {x}: {lp} vs {}", f(x));
        assert_grad_fd(&m, &[x]);
    }
    // Branches that are vectors.
    let src = "data { vector[2] a; } parameters { real x; } \
               model { vector[2] v = x > 0 ? a * x : -a; target += sum(v); }";
    let m = build(src, serde_json::json!({"a": [1.0, 2.5]}));
    assert!((logp_grad(&m, &[0.4]).0 - 3.5 * 0.4).abs() < 1e-12);
    assert!((logp_grad(&m, &[-0.4]).0 + 3.5).abs() < 1e-12);
    // A `while` on a parameter stays a clear error (`if` statements: tests/if_on_parameters.rs).
    let err = build_err("parameters { real x; } model { while (x > 0) target += x; }", serde_json::json!({}));
    assert!(err.contains("depends on parameters"), "{err}");
}

#[test]
fn quad_form_matches_the_hand_computation() {
    let src = "data { matrix[3, 3] A; matrix[3, 2] B; } parameters { vector[3] b; } model { \
               target += -0.5 * quad_form(A, b) + 0.1 * quad_form_sym(A, b) \
                         + 0.01 * trace_quad_form(A, diag_post_multiply(B, b[1:2])) + b[3] * sum(quad_form(A, B)); }";
    let a = [[2.0, 0.5, 0.1], [0.5, 1.5, -0.3], [0.1, -0.3, 1.0]];
    let bm = [[1.0, 0.2], [-0.4, 0.7], [0.3, 0.3]];
    let m = build(src, serde_json::json!({"A": a, "B": bm}));
    // x' A y
    let form = |x: &[f64], y: &[f64]| -> f64 { (0..3).map(|i| (0..3).map(|j| x[i] * a[i][j] * y[j]).sum::<f64>()).sum() };
    let col = |k: usize| [bm[0][k], bm[1][k], bm[2][k]];
    let b = [0.3, -1.2, 0.8];
    let s: f64 = (0..2).flat_map(|k| (0..2).map(move |l| (k, l))).map(|(k, l)| form(&col(k), &col(l))).sum();
    let expected = -0.4 * form(&b, &b) + 0.01 * (0..2).map(|k| b[k] * b[k] * form(&col(k), &col(k))).sum::<f64>() + b[2] * s;
    let (lp, _) = logp_grad(&m, &b);
    assert!((lp - expected).abs() < 1e-12, "{lp} vs {expected}");
    assert_grad_fd(&m, &b);
    let err = build_err(
        "data { matrix[2, 2] A; } parameters { vector[2] b; } model { target += quad_form_sym(A, b); }",
        serde_json::json!({"A": [[1.0, 2.0], [0.0, 1.0]]}),
    );
    assert!(err.contains("not symmetric"), "{err}");
}

#[test]
fn target_is_the_running_total_with_jacobians() {
    // `target += target()` doubles everything so far, the constraining
    // transforms' log-Jacobians included: it must equal twice the terms plus
    // the log-Jacobians written out by hand (which the density adds once more).
    let terms = "normal_lpdf(s | 0, 1) + normal_lpdf(u | 0, 1) + normal_lpdf(o | 0, 2) + dirichlet_lpdf(p | [2, 3, 4]') + normal_lpdf(w | 0, 1)";
    let decls = "parameters { real<lower=0> s; real<lower=-1, upper=2> u; ordered[3] o; simplex[3] p; \
                 positive_ordered[2] q; real<offset=1, multiplier=3> w; }";
    let doubled = format!("{decls} model {{ target += {terms}; q ~ exponential(1); target += get_lp(); }}");
    let by_hand = format!(
        "{decls} model {{ target += 2 * ({terms}); q ~ exponential(1); target += exponential_lpdf(q | 1); \
         target += log(s) + log(u + 1) + log(2 - u) - log(3) + log(o[2] - o[1]) + log(o[3] - o[2]) + sum(log(p)) \
                   + log(q[1]) + log(q[2] - q[1]) + log(3); }}"
    );
    let (m1, m2) = (build(&doubled, serde_json::json!({})), build(&by_hand, serde_json::json!({})));
    for x in [[0.2, -0.3, 0.1, 0.5, -0.2, 0.4, -0.6, 0.3, 0.1, 0.7], [-1.0, 1.5, -2.0, -0.5, 0.3, -0.8, 0.9, -1.1, 0.6, -0.4]] {
        let ((a, ga), (b, gb)) = (logp_grad(&m1, &x), logp_grad(&m2, &x));
        assert!((a - b).abs() < 1e-10, "{a} vs {b}");
        for (i, (p, q)) in ga.iter().zip(&gb).enumerate() {
            assert!((p - q).abs() < 1e-10, "d/dx{i}: {p} vs {q}");
        }
        assert_grad_fd(&m1, &x);
    }
    // A parameter whose log-Jacobian is not a function of its value.
    let err = build_err("parameters { cholesky_factor_corr[2] L; } model { target += target(); }", serde_json::json!({}));
    assert!(err.contains("not supported") && err.contains("cholesky_factor_corr"), "{err}");
}

#[test]
fn element_assignment_updates_in_place_without_aliasing() {
    // Element assignments update the variable in place; copies made before
    // (`a = b`, `w = v`, `m[2] = m[1]`) must keep their values, and an index
    // that reads the assigned variable itself sees its value before the update.
    let src = "transformed data { vector[3] b = [1, 2, 3]'; vector[3] a = b; a[1] = 5; \
               array[3] int idx = {2, 3, 1}; int j = idx[1]; idx[j] = 7; \
               array[2, 2] real m; m[1] = {1.0, 2.0}; m[2] = m[1]; m[2, 1] = 9; } \
               parameters { real mu; } \
               transformed parameters { vector[3] v = b * mu; vector[3] w = v; w[2] = mu * mu; } \
               model { mu ~ normal(0, 1); } \
               generated quantities { real b1 = b[1]; real a1 = a[1]; int i1 = idx[1]; int i2 = idx[2]; \
               real m11 = m[1, 1]; real m21 = m[2, 1]; }";
    let m = build(src, serde_json::json!({}));
    let mu = 0.7;
    let mut out = Vec::new();
    m.outputs(1, 0).unwrap().row(&[mu], &mut out).unwrap();
    let expected = [mu, mu, 2.0 * mu, 3.0 * mu, mu, mu * mu, 3.0 * mu, 1.0, 5.0, 2.0, 7.0, 1.0, 9.0];
    assert_eq!(out.len(), expected.len(), "{:?}", m.output_names);
    for (i, (a, b)) in out.iter().zip(expected).enumerate() {
        assert!((a - b).abs() < 1e-12, "{}: {a} vs {b}", m.output_names[i]);
    }
}

#[test]
fn old_style_forward_algorithm_equals_the_vectorised_one() {
    // The same HMM written in the pre-2.33 style (real u[N], <-, scalar loops
    // that recompute log(theta[j, k]) and re-read parameters, increment_log_prob,
    // *_log) and in modern vectorised form: equal log densities and gradients
    // (the lowering memoises repeated scalar expressions; this checks it
    // changes nothing).
    let old = "data { int<lower=1> K; int<lower=1> N; real u[N]; matrix<lower=0>[K,K] alpha; } \
               parameters { simplex[K] theta1; simplex[K] theta2; positive_ordered[K] phi; } \
               transformed parameters { simplex[K] theta[K]; theta[1] <- theta1; theta[2] <- theta2; } \
               model { real acc[K]; real gamma[N,K]; \
                 for (k in 1:K) theta[k] ~ dirichlet(alpha[k]'); \
                 phi[1] ~ normal(0, 1); phi[2] ~ normal(3, 1); \
                 for (k in 1:K) gamma[1,k] <- exponential_log(u[1], phi[k]); \
                 for (t in 2:N) { for (k in 1:K) { for (j in 1:K) \
                   acc[j] <- gamma[t-1,j] + log(theta[j,k]) + exponential_log(u[t], phi[k]); \
                   gamma[t,k] <- log_sum_exp(acc); } } \
                 increment_log_prob(log_sum_exp(gamma[N])); }";
    let modern = "data { int<lower=1> K; int<lower=1> N; array[N] real u; matrix<lower=0>[K, K] alpha; } \
                  parameters { simplex[K] theta1; simplex[K] theta2; positive_ordered[K] phi; } \
                  model { matrix[K, K] lt = append_row(log(theta1)', log(theta2)'); vector[K] lp; vector[K] prev; \
                    theta1 ~ dirichlet(alpha[1]'); theta2 ~ dirichlet(alpha[2]'); \
                    phi ~ normal([0, 3]', 1); \
                    for (k in 1:K) lp[k] = exponential_lpdf(u[1] | phi[k]); \
                    for (t in 2:N) { prev = lp; \
                      for (k in 1:K) lp[k] = log_sum_exp(prev + col(lt, k)) + exponential_lpdf(u[t] | phi[k]); } \
                    target += log_sum_exp(lp); }";
    let data = serde_json::json!({"K": 2, "N": 6, "u": [0.3, 1.2, 0.2, 0.25, 2.0, 0.4], "alpha": [[4, 2], [2, 4]]});
    let (a, b) = (build(old, data.clone()), build(modern, data));
    for x in [[0.3, -0.5, 0.2, 0.9], [-1.0, 0.8, -0.4, 1.5]] {
        let ((la, ga), (lb, gb)) = (logp_grad(&a, &x), logp_grad(&b, &x));
        assert!((la - lb).abs() < 1e-10, "{la} vs {lb}");
        for (i, (p, q)) in ga.iter().zip(&gb).enumerate() {
            assert!((p - q).abs() < 1e-10, "d/dx{i}: {p} vs {q}");
        }
        assert_grad_fd(&a, &x);
    }
}

#[test]
fn arrays_of_matrices_as_parameters() {
    // array[2] matrix[2, 3] with a lower bound: 12 unconstrained values,
    // B[k] = exp(x) elementwise, log density Σ N(B[k][i, j] | k, 1) + the
    // log-Jacobian Σ x; outputs flattened as CmdStan does (12 columns).
    let src = "parameters { array[2] matrix<lower=0>[2, 3] B; } \
               model { for (k in 1:2) to_vector(B[k]) ~ normal(k, 1); } \
               generated quantities { real b = B[2, 1, 3]; }";
    let m = build(src, serde_json::json!({}));
    let x: Vec<f64> = (0..12).map(|i| 0.1 * i as f64 - 0.5).collect();
    let c = -0.5 * (2.0 * std::f64::consts::PI).ln();
    let expected: f64 = (0..12)
        .map(|i| {
            let k = if i < 6 { 1.0 } else { 2.0 };
            let v = x[i].exp();
            c - 0.5 * (v - k) * (v - k) + x[i]
        })
        .sum();
    let (lp, _) = logp_grad(&m, &x);
    assert!((lp - expected).abs() < 1e-10, "{lp} vs {expected}");
    assert_grad_fd(&m, &x);
    assert_eq!(m.output_names.len(), 13, "{:?}", m.output_names);
    assert_eq!(m.output_names[12], "b");
    let col = m.output_names.iter().position(|n| n == "B[2,1,3]").expect("a column B[2,1,3]");
    let mut out = Vec::new();
    m.outputs(1, 0).unwrap().row(&x, &mut out).unwrap();
    assert!((out[12] - out[col]).abs() < 1e-12, "b = {} but B[2,1,3] = {}", out[12], out[col]);
    // The second matrix holds x[6..12] row-major: B[2][1, 3] is x[8].
    assert!((out[12] - x[8].exp()).abs() < 1e-12, "{} vs {}", out[12], x[8].exp());
}

/// Arrays with more dimensions than one model parameter holds are split on
/// their first dimension, recursively: `array[2, 3] real<lower=0>`,
/// `array[2, 2] vector[3]`, `array[2, 2] simplex[3]`, `array[2, 2, 2] real`.
#[test]
fn multi_dimensional_arrays_as_parameters() {
    let src = "parameters { array[2, 3] real<lower=0> s; array[2, 2] vector[3] z; array[2, 2] simplex[3] w; array[2, 2, 2] real t; }
               model {
                 for (i in 1:2) { s[i] ~ exponential(1); for (j in 1:2) { z[i, j] ~ normal(i, j); w[i, j] ~ dirichlet([1, 2, 3]'); t[i, j] ~ normal(0, 1); } }
               }
               generated quantities { real a = s[2, 3]; real b = z[2, 1, 3]; real c = w[1, 2, 2]; real d = t[2, 1, 2]; }";
    let m = build(src, serde_json::json!({}));
    let dim = 6 + 12 + 8 + 8;
    assert_eq!(m.compiled.dim(), dim);
    let x: Vec<f64> = (0..dim).map(|i| 0.07 * i as f64 - 0.9).collect();
    assert_grad_fd(&m, &x);
    let mut out = Vec::new();
    m.outputs(1, 0).unwrap().row(&x, &mut out).unwrap();
    let get = |n: &str| out[m.output_names.iter().position(|x| x == n).unwrap_or_else(|| panic!("no column {n}: {:?}", m.output_names))];
    assert_eq!(get("a"), get("s[2,3]"));
    assert_eq!(get("b"), get("z[2,1,3]"));
    assert_eq!(get("c"), get("w[1,2,2]"));
    assert_eq!(get("d"), get("t[2,1,2]"));
    // Unconstrained layout: s.1 (3), s.2 (3), then z.1 (2×3), z.2 (2×3), ...: s[2,3] is exp(x[5]), z[2,1,3] is x[6 + 6 + 2].
    assert!((get("s[2,3]") - x[5].exp()).abs() < 1e-12);
    assert!((get("z[2,1,3]") - x[14]).abs() < 1e-12);
    let simplex: f64 = (1..=3).map(|k| get(&format!("w[1,2,{k}]"))).sum();
    assert!((simplex - 1.0).abs() < 1e-12);
    // The log density: the z terms are N(i, j) at the given coordinates.
    let (lp_a, _) = logp_grad(&m, &x);
    let mut y = x.clone();
    y[14] += 0.5; // z[2,1,3]: normal(2, 1)
    let (lp_b, _) = logp_grad(&m, &y);
    let want = -0.5 * ((x[14] + 0.5 - 2.0).powi(2) - (x[14] - 2.0).powi(2));
    assert!((lp_b - lp_a - want).abs() < 1e-10, "{} vs {want}", lp_b - lp_a);
}

/// `sum_to_zero_vector[K]`: K − 1 free values mapped isometrically onto
/// the zero-sum plane (Stan's transform, no Jacobian), so
/// `z ~ normal(0, 1)` is `−½‖y‖²` in the free values.
#[test]
fn sum_to_zero_vectors() {
    let src = "parameters { sum_to_zero_vector[4] z; } model { z ~ normal(0, 1); } generated quantities { real s = sum(z); }";
    let m = build(src, serde_json::json!({}));
    assert_eq!(m.compiled.dim(), 3);
    let y = [0.3, -1.2, 0.8];
    let (lp, g) = logp_grad(&m, &y);
    let c = -0.5 * (2.0 * std::f64::consts::PI).ln();
    let norm2: f64 = y.iter().map(|v| v * v).sum();
    assert!((lp - (4.0 * c - 0.5 * norm2)).abs() < 1e-12, "{lp}");
    for (gi, yi) in g.iter().zip(&y) {
        assert!((gi + yi).abs() < 1e-12, "{g:?}");
    }
    let mut out = Vec::new();
    m.outputs(1, 0).unwrap().row(&y, &mut out).unwrap();
    assert!(out[4].abs() < 1e-14, "sum {}", out[4]);
    let z2: f64 = out[..4].iter().map(|v| v * v).sum();
    assert!((z2 - norm2).abs() < 1e-12);
}

#[test]
fn an_unsupported_function_in_generated_quantities_is_a_build_error() {
    // Found by an old-style probe: the rows failed at run time and every
    // output (parameters included) came back NaN without a message.
    let src = "parameters { real a; } model { a ~ normal(0, 1); } \
               generated quantities { vector[2] z = multi_student_t_rng(3, rep_vector(a, 2), diag_matrix(rep_vector(1, 2))); }";
    let err = build_err(src, serde_json::json!({}));
    assert!(err.contains("multi_student_t_rng") && err.contains("not supported") && err.contains("m.stan:1:"), "{err}");
}

/// The multivariate `_rng` functions in generated quantities: shapes, and
/// the defining property of each draw (a simplex, a correlation matrix and
/// its Cholesky factor, a category in range, mu exactly when the
/// covariance is zero... well, tiny).
#[test]
fn multivariate_rngs_in_generated_quantities() {
    let src = "parameters { real a; } model { a ~ normal(0, 1); }
               generated quantities {
                 vector[3] d = dirichlet_rng([1, 2, 3]');
                 vector[2] x = multi_normal_rng([a, 1]', [[1e-20, 0], [0, 1e-20]]);
                 array[2] vector[2] xs = multi_normal_cholesky_rng({[a, 1]', [2, a]'}, diag_matrix(rep_vector(1e-10, 2)));
                 matrix[3, 3] c = lkj_corr_rng(3, 2.0);
                 matrix[3, 3] l = lkj_corr_cholesky_rng(3, 2.0);
                 int k = categorical_rng([0.2, 0.8]');
                 int j = categorical_logit_rng([0, 100, 0]');
               }";
    let m = build(src, serde_json::json!({}));
    let mut out = Vec::new();
    m.outputs(7, 0).unwrap().row(&[0.25], &mut out).unwrap();
    let get = |name: &str| out[m.output_names.iter().position(|n| n == name).unwrap_or_else(|| panic!("{name}"))];
    let d = [get("d[1]"), get("d[2]"), get("d[3]")];
    assert!((d.iter().sum::<f64>() - 1.0).abs() < 1e-12 && d.iter().all(|&v| v > 0.0), "{d:?}");
    assert!((get("x[1]") - 0.25).abs() < 1e-8 && (get("x[2]") - 1.0).abs() < 1e-8);
    assert!((get("xs[1,1]") - 0.25).abs() < 1e-8 && (get("xs[2,1]") - 2.0).abs() < 1e-8 && (get("xs[2,2]") - 0.25).abs() < 1e-8);
    for i in 1..=3 {
        assert_eq!(get(&format!("c[{i},{i}]")), 1.0);
        let row: f64 = (1..=3).map(|j| get(&format!("l[{i},{j}]")).powi(2)).sum();
        assert!((row - 1.0).abs() < 1e-12);
    }
    assert!(get("c[1,2]").abs() < 1.0 && get("c[1,2]") == get("c[2,1]") && get("l[1,2]") == 0.0);
    assert!(get("k") == 1.0 || get("k") == 2.0);
    assert_eq!(get("j"), 2.0);
    // An invalid argument is an error naming the function.
    let src = "generated quantities { int k = categorical_rng([0.7, 0.7]'); }";
    let m = build(src, serde_json::json!({}));
    let e = m.outputs(1, 0).unwrap().row(&[], &mut out).unwrap_err();
    assert!(e.message.contains("categorical_rng") && e.message.contains("simplex"), "{}", e.message);
}

#[test]
fn cholesky_of_a_parameter_matrix_equals_the_covariance_form() {
    // A GP marginal likelihood written with the Cholesky factor (one
    // instruction with an analytic reverse pass) and with the covariance
    // (multi_normal factorises inside its own kernel): the same density.
    let gp = |lik: &str| {
        format!(
            "data {{ int N; array[N] real x; vector[N] y; }} \
             parameters {{ real<lower=0> rho; real<lower=0> alpha; real<lower=0> sigma; }} \
             model {{ matrix[N, N] K = add_diag(gp_exp_quad_cov(x, alpha, rho), sigma); \
             matrix[N, N] L = cholesky_decompose(K); \
             rho ~ gamma(25, 4); alpha ~ normal(0, 2); sigma ~ normal(0, 1); {lik} }}"
        )
    };
    let data = serde_json::json!({"N": 6, "x": [-2.0, -1.1, 0.0, 0.4, 1.3, 2.9], "y": [0.5, 1.2, -0.3, 0.1, 0.8, -1.0]});
    let chol = build(&gp("y ~ multi_normal_cholesky(rep_vector(0, N), L);"), data.clone());
    let cov = build(&gp("y ~ multi_normal(rep_vector(0, N), K);"), data.clone());
    for x in [[0.3, -0.2, -1.0], [1.5, 0.4, 0.2], [-0.5, 1.0, -2.5]] {
        let (lp1, g1) = logp_grad(&chol, &x);
        let (lp2, g2) = logp_grad(&cov, &x);
        assert!((lp1 - lp2).abs() < 1e-10 * (1.0 + lp2.abs()), "at {x:?}: {lp1} vs {lp2}");
        for (a, b) in g1.iter().zip(&g2) {
            assert!((a - b).abs() < 1e-8 * (1.0 + b.abs()), "at {x:?}: {g1:?} vs {g2:?}");
        }
        assert_grad_fd(&chol, &x);
    }
    // One instruction more than the covariance form (the factor), where
    // the scalar expansion took 90 more for N = 6.
    let (n_chol, n_cov) = (chol.compiled.instruction_count().0, cov.compiled.instruction_count().0);
    assert!(n_chol <= n_cov + 1, "{n_chol} instructions vs {n_cov}");
    // The factor used in further algebra (a non-centred GP, `L * eta`).
    let src = "data { int N; array[N] real x; vector[N] y; } \
               parameters { real<lower=0> rho; vector[N] eta; } \
               model { matrix[N, N] L = cholesky_decompose(add_diag(gp_exp_quad_cov(x, 1.0, rho), 1e-3)); \
               eta ~ std_normal(); y ~ normal(L * eta, 0.5); }";
    let m = build(src, data.clone());
    assert_grad_fd(&m, &[0.2, 0.3, -0.4, 1.0, 0.1, -0.7, 0.5]);
    // A matrix that is not positive definite at a point: a recoverable error.
    let src = "data { int N; array[N] real x; } parameters { real s; } \
               model { matrix[N, N] L = cholesky_decompose(add_diag(gp_exp_quad_cov(x, 1.0, 1.0), s)); \
               target += sum(diagonal(L)); }";
    let m = build(src, serde_json::json!({"N": 3, "x": [0.0, 0.5, 1.0]}));
    assert_grad_fd(&m, &[0.5]);
    let mut g = [0.0];
    let e = m.compiled.density::<f64>().logp_grad(&[-5.0], &mut g).unwrap_err();
    assert!(e.is_recoverable() && e.message.contains("not positive definite"), "{e}");
}
