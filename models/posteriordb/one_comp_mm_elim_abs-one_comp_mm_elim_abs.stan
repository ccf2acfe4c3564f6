// one_comp_mm_elim_abs-one_comp_mm_elim_abs: one-compartment
// pharmacokinetics, first-order absorption, Michaelis-Menten elimination,
// solved with a stiff (BDF) ODE solver; lognormal measurement error.
functions {
  vector one_comp_mm_elim_abs(real t, vector y, real k_a, real K_m, real V_m, real D, real V) {
    vector[1] dydt;
    // dose(t) = 0 for t <= 0. A conditional expression rather than an 'if':
    // exmc traces the right-hand side once with t as a variable.
    real dose = t > 0 ? exp(-k_a * t) * D * k_a / V : 0;
    dydt[1] = dose - (V_m / V) * y[1] / (K_m + y[1]);
    return dydt;
  }
}
data {
  real t0;
  real D;
  real V;
  int<lower=1> N_t;
  array[N_t] real times;
  array[N_t] real C_hat;
}
transformed data {
  vector[1] C0 = [0]';
}
parameters {
  real<lower=0> k_a;
  real<lower=0> K_m;
  real<lower=0> V_m;
  real<lower=0> sigma;
}
transformed parameters {
  array[N_t] vector[1] C = ode_bdf_tol(one_comp_mm_elim_abs, C0, t0, times,
                                       1e-10, 1e-10, 100000000, k_a, K_m, V_m, D, V);
}
model {
  k_a ~ cauchy(0, 1);
  K_m ~ cauchy(0, 1);
  V_m ~ cauchy(0, 1);
  sigma ~ cauchy(0, 1);
  for (n in 1:N_t) {
    C_hat[n] ~ lognormal(log(C[n, 1]), sigma);
  }
}
generated quantities {
  array[N_t] real C_ppc;
  for (n in 1:N_t) {
    C_ppc[n] = lognormal_rng(log(C[n, 1]), sigma);
  }
}
