// mcycle_gp-accel_gp: Hilbert-space approximate GPs for the mean and the
// log-sd of motorcycle-crash accelerations (input dimension 1).
functions {
  // sqrt of the exponentiated-quadratic spectral density at each frequency:
  // S(w) = sdgp^2 * sqrt(2 pi) * lscale * exp(-0.5 * lscale^2 * w^2)
  vector sqrt_spd_eq(array[] vector slambda, real sdgp, real lscale) {
    int M = size(slambda);
    vector[M] out;
    for (m in 1:M) {
      out[m] = sdgp * sqrt(sqrt(2 * pi()) * lscale) * exp(-0.25 * square(lscale * slambda[m][1]));
    }
    return out;
  }
}
data {
  int<lower=1> N;
  vector[N] Y;
  int<lower=1> Kgp_1;
  int<lower=1> Dgp_1;
  int<lower=1> NBgp_1;
  matrix[N, NBgp_1] Xgp_1;
  array[NBgp_1] vector[Dgp_1] slambda_1;
  int<lower=1> Kgp_sigma_1;
  int<lower=1> Dgp_sigma_1;
  int<lower=1> NBgp_sigma_1;
  matrix[N, NBgp_sigma_1] Xgp_sigma_1;
  array[NBgp_sigma_1] vector[Dgp_sigma_1] slambda_sigma_1;
  int prior_only;
}
parameters {
  real Intercept;
  real<lower=0> sdgp_1;
  real<lower=0> lscale_1;
  vector[NBgp_1] zgp_1;
  real Intercept_sigma;
  real<lower=0> sdgp_sigma_1;
  real<lower=0> lscale_sigma_1;
  vector[NBgp_sigma_1] zgp_sigma_1;
}
model {
  vector[N] mu = Intercept + Xgp_1 * (sqrt_spd_eq(slambda_1, sdgp_1, lscale_1) .* zgp_1);
  vector[N] log_sigma = Intercept_sigma
      + Xgp_sigma_1 * (sqrt_spd_eq(slambda_sigma_1, sdgp_sigma_1, lscale_sigma_1) .* zgp_sigma_1);
  Intercept ~ student_t(3, -13, 36);
  sdgp_1 ~ student_t(3, 0, 36);
  zgp_1 ~ std_normal();
  lscale_1 ~ inv_gamma(1.124909, 0.0177);
  Intercept_sigma ~ student_t(3, 0, 10);
  sdgp_sigma_1 ~ student_t(3, 0, 36);
  zgp_sigma_1 ~ std_normal();
  lscale_sigma_1 ~ inv_gamma(1.124909, 0.0177);
  if (!prior_only) {
    Y ~ normal(mu, exp(log_sigma));
  }
}
