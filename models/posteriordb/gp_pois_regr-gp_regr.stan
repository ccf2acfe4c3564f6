// gp_pois_regr-gp_regr: marginal GP regression with an exponentiated-
// quadratic kernel; sigma is added to the diagonal as a noise variance.
data {
  int<lower=1> N;
  array[N] real x;
  vector[N] y;
}
parameters {
  real<lower=0> rho;
  real<lower=0> alpha;
  real<lower=0> sigma;
}
model {
  matrix[N, N] K = add_diag(gp_exp_quad_cov(x, alpha, rho), sigma);
  matrix[N, N] L_K = cholesky_decompose(K);
  rho ~ gamma(25, 4);
  alpha ~ normal(0, 2);
  sigma ~ normal(0, 1);
  y ~ multi_normal_cholesky(rep_vector(0, N), L_K);
}
