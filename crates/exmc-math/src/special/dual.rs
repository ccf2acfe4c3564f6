//! A small forward-mode dual number `v + Σ dᵢ εᵢ` with `N` directions.
//!
//! Used to differentiate convergent series and continued fractions (the
//! incomplete gamma and beta functions) with respect to their shape
//! parameters: running the recurrence on dual numbers gives the exact
//! derivative of every partial sum / convergent, and the loop stops only when
//! both the value and the derivatives have converged. This is the "series /
//! continued fraction for the derivative" of Stan Math's `grad_reg_inc_gamma`
//! and `inc_beta_dda`, obtained mechanically.

use std::ops::{Add, Div, Mul, Neg, Sub};

#[derive(Clone, Copy, Debug)]
pub(crate) struct Dual<const N: usize> {
    pub v: f64,
    pub d: [f64; N],
}

impl<const N: usize> Dual<N> {
    #[inline]
    pub fn cst(v: f64) -> Self {
        Dual { v, d: [0.0; N] }
    }
    /// The variable number `i`.
    #[inline]
    pub fn var(v: f64, i: usize) -> Self {
        let mut d = [0.0; N];
        d[i] = 1.0;
        Dual { v, d }
    }
    #[inline]
    pub fn recip(self) -> Self {
        let r = 1.0 / self.v;
        let k = -r * r;
        Dual {
            v: r,
            d: self.d.map(|x| x * k),
        }
    }
    #[inline]
    #[allow(dead_code)]
    pub fn ln(self) -> Self {
        let r = 1.0 / self.v;
        Dual {
            v: self.v.ln(),
            d: self.d.map(|x| x * r),
        }
    }
    /// `d(ln self)` only (value ignored): `dᵢ / v`.
    #[inline]
    pub fn dlog(self) -> [f64; N] {
        let r = 1.0 / self.v;
        self.d.map(|x| x * r)
    }
    /// Replaces a value too close to zero by `tiny` (Lentz's guard).
    #[inline]
    pub fn guard(mut self, tiny: f64) -> Self {
        if self.v.abs() < tiny {
            self.v = tiny;
        }
        self
    }
}

impl<const N: usize> Add for Dual<N> {
    type Output = Self;
    #[inline]
    fn add(self, o: Self) -> Self {
        let mut d = self.d;
        for i in 0..N {
            d[i] += o.d[i];
        }
        Dual { v: self.v + o.v, d }
    }
}
impl<const N: usize> Sub for Dual<N> {
    type Output = Self;
    #[inline]
    fn sub(self, o: Self) -> Self {
        let mut d = self.d;
        for i in 0..N {
            d[i] -= o.d[i];
        }
        Dual { v: self.v - o.v, d }
    }
}
impl<const N: usize> Mul for Dual<N> {
    type Output = Self;
    #[inline]
    fn mul(self, o: Self) -> Self {
        let mut d = [0.0; N];
        for i in 0..N {
            d[i] = self.d[i] * o.v + self.v * o.d[i];
        }
        Dual { v: self.v * o.v, d }
    }
}
impl<const N: usize> Div for Dual<N> {
    type Output = Self;
    #[inline]
    fn div(self, o: Self) -> Self {
        let r = 1.0 / o.v;
        let q = self.v * r;
        let mut d = [0.0; N];
        for i in 0..N {
            d[i] = (self.d[i] - q * o.d[i]) * r;
        }
        Dual { v: q, d }
    }
}
impl<const N: usize> Neg for Dual<N> {
    type Output = Self;
    #[inline]
    fn neg(self) -> Self {
        Dual {
            v: -self.v,
            d: self.d.map(|x| -x),
        }
    }
}
impl<const N: usize> Add<f64> for Dual<N> {
    type Output = Self;
    #[inline]
    fn add(self, o: f64) -> Self {
        Dual {
            v: self.v + o,
            d: self.d,
        }
    }
}
impl<const N: usize> Sub<f64> for Dual<N> {
    type Output = Self;
    #[inline]
    fn sub(self, o: f64) -> Self {
        Dual {
            v: self.v - o,
            d: self.d,
        }
    }
}
impl<const N: usize> Mul<f64> for Dual<N> {
    type Output = Self;
    #[inline]
    fn mul(self, o: f64) -> Self {
        Dual {
            v: self.v * o,
            d: self.d.map(|x| x * o),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dual_arithmetic() {
        let a = Dual::<2>::var(3.0, 0);
        let b = Dual::<2>::var(2.0, 1);
        let f = (a * b + a / b - b.recip()) * 2.0 + 1.0; // 2(ab + a/b - 1/b) + 1
        assert!((f.v - (2.0 * (6.0 + 1.5 - 0.5) + 1.0)).abs() < 1e-15);
        assert!((f.d[0] - 2.0 * (2.0 + 0.5)).abs() < 1e-15);
        assert!((f.d[1] - 2.0 * (3.0 - 3.0 / 4.0 + 1.0 / 4.0)).abs() < 1e-15);
        let g = (a - b).ln();
        assert!((g.d[0] - 1.0).abs() < 1e-15 && (g.d[1] + 1.0).abs() < 1e-15);
        assert_eq!((-a).v, -3.0);
    }
}
