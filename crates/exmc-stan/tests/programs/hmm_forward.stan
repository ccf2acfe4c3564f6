// Hidden Markov model with K states and Gaussian emissions, marginalised with
// the forward algorithm in log space:
// alpha_t(k) = log p(y_t | z_t = k) + log sum_j exp(alpha_{t-1}(j) + log Gamma[j, k]).
data {
  int<lower=1> K;
  int<lower=1> T;
  array[T] real y;
}
parameters {
  array[K] simplex[K] Gamma;   // transition rows
  simplex[K] rho;              // initial distribution
  ordered[K] mu;               // emission means (ordered for identifiability)
  real<lower=0> sigma;
}
model {
  array[K] real acc;
  array[T, K] real lp;
  mu ~ normal(0, 5);
  sigma ~ lognormal(0, 1);
  for (k in 1:K) {
    lp[1, k] = log(rho[k]) + normal_lpdf(y[1] | mu[k], sigma);
  }
  for (t in 2:T) {
    for (k in 1:K) {
      for (j in 1:K) {
        acc[j] = lp[t - 1, j] + log(Gamma[j, k]);
      }
      lp[t, k] = log_sum_exp(acc) + normal_lpdf(y[t] | mu[k], sigma);
    }
  }
  target += log_sum_exp(lp[T]);
}
