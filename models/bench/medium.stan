data { int<lower=0> N_a; vector[N_a] y_a; int<lower=0> N_b; vector[N_b] y_b; }
parameters {
  real mu_global; real<lower=0> sigma_global;
  real alpha; real beta; real<lower=0> sigma_obs;
}
model {
  mu_global ~ normal(0, 10);
  sigma_global ~ exponential(1);
  alpha ~ normal(mu_global, sigma_global);
  beta ~ normal(mu_global, sigma_global);
  sigma_obs ~ exponential(2);
  y_a ~ normal(alpha, sigma_obs);
  y_b ~ normal(beta, sigma_obs);
}