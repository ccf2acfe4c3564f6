//! Valid Stan programs in the styles real-world code uses (ODEs, reduce_sum,
//! GPs, GLMs, HMMs, constrained types, multi-indexing, removed spellings)
//! type-check; with the support check on, the only errors name builtins exmc
//! does not implement yet.

use exmc_stan::{check, check_with, parse, render_diagnostics, CheckOptions, Severity};

fn valid(src: &str) -> Vec<String> {
    let (prog, _) = parse(src).unwrap_or_else(|e| panic!("{}", render_diagnostics(&e, "t.stan", src)));
    let c = check_with(&prog, CheckOptions { reject_unsupported: false })
        .unwrap_or_else(|e| panic!("{}", render_diagnostics(&e, "t.stan", src)));
    if let Err(e) = check(&prog) {
        for d in e.iter().filter(|d| d.severity == Severity::Error) {
            assert!(d.message.ends_with("is not supported by exmc yet"), "{}", render_diagnostics(std::slice::from_ref(d), "t.stan", src));
        }
    }
    c.warnings.iter().map(|w| w.message.clone()).collect()
}

#[test]
fn ode_models() {
    valid(
        "functions {
  vector rhs(real t, vector y, real ka, real ke) {
    vector[2] dydt;
    dydt[1] = -ka * y[1];
    dydt[2] = ka * y[1] - ke * y[2];
    return dydt;
  }
  array[] real old_rhs(real t, array[] real y, array[] real theta, array[] real x_r, array[] int x_i) {
    return {-theta[1] * y[1]};
  }
}
data {
  int<lower=1> T;
  array[T] real ts;
  vector[2] y0;
  array[T] real<lower=0> c;
}
transformed data {
  array[0] real x_r;
  array[0] int x_i;
}
parameters {
  real<lower=0> ka;
  real<lower=0> ke;
  real<lower=0> sigma;
}
model {
  array[T] vector[2] y = ode_bdf(rhs, y0, 0.0, ts, ka, ke);
  array[T] vector[2] z = ode_rk45_tol(rhs, y0, 0, ts, 1e-6, 1e-6, 1000, ka, ke);
  array[T, 1] real w = integrate_ode_bdf(old_rhs, {1.0}, 0.0, ts, {ka}, x_r, x_i);
  for (t in 1:T) c[t] ~ lognormal(log(y[t, 2]), sigma);
  ka ~ lognormal(0, 1);
}",
    );
}

#[test]
fn reduce_sum_model() {
    valid(
        "functions {
  real partial_sum_lpmf(array[] int slice, int start, int end, vector eta) {
    return bernoulli_logit_lupmf(slice | eta[start:end]);
  }
}
data { int N; array[N] int<lower=0, upper=1> y; matrix[N, 3] X; }
parameters { vector[3] beta; }
model {
  vector[N] eta = X * beta;
  target += reduce_sum(partial_sum_lupmf, y, 1, eta);
  target += reduce_sum(partial_sum_lpmf, y, 1, eta);
}",
    );
}

#[test]
fn gp_glm_hmm_and_constrained_types() {
    valid(
        "data {
  int<lower=1> N;
  int<lower=1> K;
  array[N] real x;
  vector[N] y;
  matrix[N, K] X;
  array[N] int<lower=0> counts;
  array[N] int<lower=1, upper=K> cat;
  matrix[K, N] log_omega;
}
transformed data {
  real delta = 1e-9;
  vector[N] mu0 = rep_vector(0, N);
}
parameters {
  real<lower=0> rho;
  real<lower=0> alpha;
  real<lower=0> sigma;
  vector[K] beta;
  real a;
  cholesky_factor_corr[K] L;
  vector<lower=0>[K] tau;
  simplex[K] rho0;
  array[K] simplex[K] Gamma_rows;
  ordered[K - 1] cuts;
  positive_ordered[2] po;
  unit_vector[3] u;
  cov_matrix[2] S;
  corr_matrix[2] R;
  cholesky_factor_cov[3, 2] Lc;
  vector<offset=a, multiplier=sigma>[K] z;
}
transformed parameters {
  matrix[K, K] Gamma;
  for (k in 1:K) Gamma[k] = Gamma_rows[k]';
}
model {
  matrix[N, N] Kx = gp_exp_quad_cov(x, alpha, rho) + diag_matrix(rep_vector(square(sigma) + delta, N));
  matrix[N, N] LK = cholesky_decompose(Kx);
  y ~ multi_normal_cholesky(mu0, LK);
  y ~ normal_id_glm(X, a, beta, sigma);
  counts ~ poisson_log_glm(X, a, beta);
  cat ~ categorical_logit(beta);
  L ~ lkj_corr_cholesky(2);
  tau ~ cauchy(0, 2.5);
  z ~ normal(a, sigma);
  target += hmm_marginal(log_omega, Gamma, rho0);
  target += multi_normal_lpdf(to_vector({1, 2}) | [0, 0]', S);
  R ~ lkj_corr(2.0);
  {
    matrix[K, K] Om = multiply_lower_tri_self_transpose(diag_pre_multiply(tau, L));
    row_vector[K] r = columns_dot_self(Om);
  }
  for (n in 1:N) cat[n] ~ ordered_logistic(X[n] * beta, cuts);
  target += log_mix(0.3, normal_lpdf(y[1] | 0, 1), normal_lpdf(y[1] | 1, 1));
}
generated quantities {
  array[N] int yrep = poisson_log_rng(X * beta);
  vector[N] log_lik;
  array[3] int idx = {1, 2, 3};
  vector[3] sub = beta[idx[1:min(3, K)]];
  for (n in 1:N) log_lik[n] = normal_lpdf(y[n] | X[n] * beta, sigma);
  real p = normal_cdf(0.5 | 0, 1);
  int hs = sum(cat) %/% 2;
  matrix[2, 2] Ssym = S';
  real m = max({1.0, 2.5}) + fmax(alpha, 1) + pow(2, 3) + 2 ^ 3;
}",
    );
}

#[test]
fn removed_spellings_are_accepted_with_warnings() {
    let w = valid(
        "functions {
  real myd_log(real y, real m) { return -square(y - m); }
}
parameters { real mu; }
model {
  mu ~ myd(0);
  increment_log_prob(normal_log(mu, 0, 1));
  target += normal_cdf_log(mu, 0, 1) + normal_ccdf_log(mu, 0, 1);
}",
    );
    assert_eq!(
        w,
        vec![
            "'normal_log' is the removed spelling of 'normal_lpdf' (removed in Stan 2.33)",
            "'normal_cdf_log' is the removed spelling of 'normal_lcdf' (removed in Stan 2.33)",
            "'normal_ccdf_log' is the removed spelling of 'normal_lccdf' (removed in Stan 2.33)",
        ]
    );
}

#[test]
fn higher_order_errors() {
    let src = "functions {\n  real f(real t, vector y) { return 1; }\n}\ndata { array[2] real ts; vector[1] y0; }\nmodel {\n  array[2] vector[1] y = ode_rk45(f, y0, 0, ts);\n}";
    let (prog, _) = parse(src).unwrap();
    let e = check_with(&prog, CheckOptions { reject_unsupported: false }).unwrap_err();
    assert_eq!(e[0].message, "'ode_rk45' needs 'f' to have the signature vector f(real, vector)");
    assert_eq!(e[0].line_col(src), (6, 35));
    let src = "data { array[2] real ts; vector[1] y0; }\nmodel {\n  array[2] vector[1] y = ode_rk45(g, y0, 0, ts);\n}";
    let (prog, _) = parse(src).unwrap();
    let e = check_with(&prog, CheckOptions { reject_unsupported: false }).unwrap_err();
    assert_eq!(e[0].message, "the first argument of 'ode_rk45' must be the name of a user-defined function");
}
