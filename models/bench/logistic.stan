data { int<lower=0> N; int<lower=1> P; matrix[N, P] X; array[N] int<lower=0, upper=1> y; }
parameters { real alpha; vector[P] beta; }
model {
  alpha ~ normal(0, 10);
  beta ~ normal(0, 10);
  y ~ bernoulli_logit_glm(X, alpha, beta);
}