//! Welford's streaming mean and (co)variance (Welford 1962; Stan's
//! `welford_var_estimator` / `welford_covar_estimator`), denominators `n − 1`.

#[derive(Clone, Debug, PartialEq)]
pub struct WelfordVar {
    n: usize,
    mean: Vec<f64>,
    m2: Vec<f64>,
}

impl WelfordVar {
    pub fn new(dim: usize) -> Self {
        WelfordVar { n: 0, mean: vec![0.0; dim], m2: vec![0.0; dim] }
    }

    pub fn reset(&mut self) {
        self.n = 0;
        self.mean.fill(0.0);
        self.m2.fill(0.0);
    }

    pub fn count(&self) -> usize {
        self.n
    }

    pub fn add(&mut self, x: &[f64]) {
        self.n += 1;
        let n = self.n as f64;
        for ((m, s), &xi) in self.mean.iter_mut().zip(self.m2.iter_mut()).zip(x) {
            let d = xi - *m;
            *m += d / n;
            *s += d * (xi - *m);
        }
    }

    pub fn mean(&self) -> &[f64] {
        &self.mean
    }

    /// Sample variance (`n − 1`); `None` with fewer than 2 points.
    pub fn variance(&self) -> Option<Vec<f64>> {
        (self.n >= 2).then(|| self.m2.iter().map(|s| s / (self.n as f64 - 1.0)).collect())
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct WelfordCov {
    n: usize,
    dim: usize,
    mean: Vec<f64>,
    /// Row-major `dim × dim` sum of co-deviations.
    m2: Vec<f64>,
    delta: Vec<f64>,
}

impl WelfordCov {
    pub fn new(dim: usize) -> Self {
        WelfordCov { n: 0, dim, mean: vec![0.0; dim], m2: vec![0.0; dim * dim], delta: vec![0.0; dim] }
    }

    pub fn reset(&mut self) {
        self.n = 0;
        self.mean.fill(0.0);
        self.m2.fill(0.0);
    }

    pub fn count(&self) -> usize {
        self.n
    }

    pub fn add(&mut self, x: &[f64]) {
        self.n += 1;
        let n = self.n as f64;
        for i in 0..self.dim {
            self.delta[i] = x[i] - self.mean[i];
            self.mean[i] += self.delta[i] / n;
        }
        // m2 += (x − mean_old)(x − mean_new)ᵀ
        for i in 0..self.dim {
            for j in 0..self.dim {
                self.m2[i * self.dim + j] += self.delta[i] * (x[j] - self.mean[j]);
            }
        }
    }

    /// Sample covariance (`n − 1`), row-major; `None` with fewer than 2 points.
    pub fn covariance(&self) -> Option<Vec<f64>> {
        (self.n >= 2).then(|| self.m2.iter().map(|s| s / (self.n as f64 - 1.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_two_pass_formulas() {
        let xs = [[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [4.0, 2.5], [-2.0, 1.0]];
        let mut v = WelfordVar::new(2);
        let mut c = WelfordCov::new(2);
        assert!(v.variance().is_none() && c.covariance().is_none());
        for x in &xs {
            v.add(x);
            c.add(x);
        }
        let n = xs.len() as f64;
        let mean: Vec<f64> = (0..2).map(|j| xs.iter().map(|x| x[j]).sum::<f64>() / n).collect();
        let cov = |a: usize, b: usize| {
            xs.iter().map(|x| (x[a] - mean[a]) * (x[b] - mean[b])).sum::<f64>() / (n - 1.0)
        };
        let var = v.variance().unwrap();
        let cv = c.covariance().unwrap();
        for a in 0..2 {
            assert!((var[a] - cov(a, a)).abs() < 1e-12);
            assert!((v.mean()[a] - mean[a]).abs() < 1e-12);
            for b in 0..2 {
                assert!((cv[a * 2 + b] - cov(a, b)).abs() < 1e-12);
            }
        }
        v.reset();
        c.reset();
        assert_eq!((v.count(), c.count()), (0, 0));
    }
}
