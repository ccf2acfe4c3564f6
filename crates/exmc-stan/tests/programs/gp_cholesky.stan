// Gaussian process regression with a squared-exponential kernel:
// f ~ GP(0, k), k(x, x') = alpha^2 exp(-|x - x'|^2 / (2 rho^2)),
// y ~ N(f, sigma); marginal likelihood via the Cholesky factor of K + sigma^2 I.
data {
  int<lower=1> N;
  array[N] real x;
  vector[N] y;
}
transformed data {
  real delta = 1e-9;
}
parameters {
  real<lower=0> rho;
  real<lower=0> alpha;
  real<lower=0> sigma;
}
model {
  matrix[N, N] L_K;
  matrix[N, N] K;
  for (i in 1:N) {
    K[i, i] = square(alpha) + square(sigma) + delta;
    for (j in (i + 1):N) {
      K[i, j] = square(alpha) * exp(-0.5 * square(x[i] - x[j]) / square(rho));
      K[j, i] = K[i, j];
    }
  }
  L_K = cholesky_decompose(K);
  rho ~ inv_gamma(5, 5);
  alpha ~ std_normal();
  sigma ~ std_normal();
  y ~ multi_normal_cholesky(rep_vector(0, N), L_K);
}
