parameters {
  real mu;
  vector[3] v;
}
model {
  matrix[2, 2] m;
  mu ~ normal(0, 1);
  v ~ nromal(0, 1);
}
