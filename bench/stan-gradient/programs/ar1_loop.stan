// AR(1) written the scalar way: one `~` per observation inside a loop.
data { int<lower=1> N; vector[N] y; }
parameters { real alpha; real beta; real<lower=0> sigma; }
model {
  alpha ~ normal(0, 1);
  beta ~ normal(0, 1);
  sigma ~ exponential(1);
  for (n in 2:N) y[n] ~ normal(alpha + beta * y[n - 1], sigma);
}
