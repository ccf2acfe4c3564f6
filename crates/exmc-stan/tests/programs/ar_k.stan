// Autoregressive AR(K): y_t = alpha + sum_k beta_k y_{t-k} + eps_t, eps_t ~ N(0, sigma).
data {
  int<lower=0> K;
  int<lower=K + 1> N;
  array[N] real y;
}
parameters {
  real alpha;
  array[K] real beta;
  real<lower=0> sigma;
}
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 1);
  sigma ~ exponential(1);
  for (t in (K + 1):N) {
    real mu = alpha;
    for (k in 1:K) {
      mu += beta[k] * y[t - k];
    }
    y[t] ~ normal(mu, sigma);
  }
}
