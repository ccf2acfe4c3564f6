//! The lowering runs Stan's control flow exactly: loops with break and
//! continue, while, recursion, compound assignment, element-wise locals,
//! and generated quantities computed from the draw.

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
fn parameter_dependent_control_flow_is_a_clear_error() {
    let src = "parameters { real mu; } model { if (mu > 0) mu ~ normal(0, 1); else mu ~ normal(0, 2); }";
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
