// earnings-log10earn_height: linear regression, flat (improper) priors on beta and sigma.
data {
  int<lower=0> N;
  vector<lower=0>[N] earn;
  vector<lower=0>[N] height;
}
transformed data {
  vector[N] log10_earn = log10(earn);
}
parameters {
  vector[2] beta;
  real<lower=0> sigma;
}
model {
  log10_earn ~ normal(beta[1] + beta[2] * height, sigma);
}
