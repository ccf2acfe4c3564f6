// Logistic regression: P(y_n = 1) = inv_logit(alpha + x_n . beta).
data {
  int<lower=0> N;
  int<lower=1> K;
  matrix[N, K] X;
  array[N] int<lower=0, upper=1> y;
}
transformed data {
  // centre the predictors
  row_vector[K] x_mean;
  matrix[N, K] Xc;
  for (k in 1:K) {
    x_mean[k] = mean(X[, k]);
    Xc[, k] = X[, k] - x_mean[k];
  }
}
parameters {
  real alpha;
  vector[K] beta;
}
model {
  alpha ~ student_t(3, 0, 2.5);
  beta ~ normal(0, 1);
  y ~ bernoulli_logit(alpha + Xc * beta);
}
generated quantities {
  real alpha_uncentred = alpha - x_mean * beta;
  vector[N] log_lik;
  for (n in 1:N) {
    log_lik[n] = bernoulli_logit_lpmf(y[n] | alpha + Xc[n] * beta);
  }
}
