# A program touching every block, written partly in removed/legacy syntax.
functions {
  real scaled_square(real x, real s);       // forward declaration
  real scaled_square(real x, real s) {
    return s * x ^ 2;
  }
  real half_normal_lpdf(real y, real s) {
    return normal_lpdf(y | 0, s) + log(2);
  }
  void add_prior_lp(real x) {
    increment_log_prob(-0.5 * x ^ 2);
  }
  vector shift(vector v, data real c) {
    return v + c;
  }
  real total(real[] xs) {
    real s;
    s <- 0;
    for (i in 1:size(xs)) s <- s + xs[i];
    return s;
  }
}
data {
  int<lower=0> N;
  real y[N];
  int<lower=0, upper=1> flag;
}
transformed data {
  real y_total = total(y);
  vector[N] yv = to_vector(y);
  int M = N %/% 2;
  print("N = ", N, ", M = ", M);
}
parameters {
  real mu;
  real<lower=0> s;
  real<offset=mu, multiplier=s> z;
  simplex[3] w;
  cholesky_factor_corr[2] L;
}
transformed parameters {
  real q = scaled_square(mu, 0.5);
  vector[N] shifted = shift(yv, y_total);
}
model {
  real lp_before = get_lp();
  add_prior_lp(mu);
  s ~ half_normal(1);
  z ~ normal(mu, s);
  w ~ dirichlet(rep_vector(1, 3));
  L ~ lkj_corr_cholesky(2);
  if (flag == 1) {
    y ~ normal(mu, s) T[-10, 10];
  } else if (flag == 0) {
    target += normal_lpdf(y | mu, s);
  } else {
    reject("flag must be 0 or 1, got ", flag);
  }
  profile("unused") {
    real tmp = if_else(mu > 0, 1.0, -1.0);
  }
}
generated quantities {
  real y_new = normal_rng(mu, s);
  array[2] int counts = {0, 0};
  int k = 1;
  while (k <= 2) {
    counts[k] = k * 2;
    k += 1;
    if (k > 5) break;
  }
  for (c in counts) {
    if (c < 0) continue;
  }
  matrix[2, 2] Omega = multiply_lower_tri_self_transpose(L);
}
