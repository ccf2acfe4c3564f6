//! The array operations the rank-normalised diagnostics are built from
//! (Vehtari, Gelman, Simpson, Carpenter & Bürkner 2021, "Rank-normalization,
//! folding, and localization: an improved R-hat"): splitting chains in halves,
//! pooled ranks, the normal-scores transform, folding, and quantiles.
//!
//! A set of chains is `Vec<Vec<f64>>`, one inner vector per chain, all of one length.

pub type Chains = Vec<Vec<f64>>;

/// Split every chain into its first and last `n/2` draws (the middle draw of an odd
/// chain is dropped), giving `2m` chains: first halves of all chains, then second halves.
pub fn split(chains: &Chains) -> Chains {
    let n = chains.first().map_or(0, Vec::len);
    let half = n / 2;
    let mut out = Vec::with_capacity(2 * chains.len());
    out.extend(chains.iter().map(|c| c[..half].to_vec()));
    out.extend(chains.iter().map(|c| c[n - half..].to_vec()));
    out
}

/// Pooled ranks (1-based) of all values, ties given their average rank
/// (SciPy `rankdata(method="average")`). Same shape as the input.
pub fn ranks(chains: &Chains) -> Chains {
    // Sort (value, position) pairs: contiguous in memory, much faster than sorting
    // indices through an indirection on long chains.
    let mut pairs: Vec<(f64, usize)> = chains.iter().flatten().copied().zip(0..).collect();
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut r = vec![0.0; pairs.len()];
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i + 1;
        while j < pairs.len() && pairs[j].0 == pairs[i].0 {
            j += 1;
        }
        // Positions i..j (0-based) share ranks i+1..=j: their average is (i + 1 + j) / 2.
        let avg = (i + 1 + j) as f64 / 2.0;
        for &(_, k) in &pairs[i..j] {
            r[k] = avg;
        }
        i = j;
    }
    reshape(&r, chains)
}

/// Rank normalisation: `z = Φ⁻¹((r − 3/8) / (S + 1/4))` with r the pooled average
/// rank and S the total number of draws (Blom 1958 offset c = 3/8).
pub fn z_scale(chains: &Chains) -> Chains {
    let r = ranks(chains);
    let s = chains.iter().map(Vec::len).sum::<usize>() as f64;
    let c = 3.0 / 8.0;
    r.into_iter()
        .map(|ch| ch.into_iter().map(|v| super::super::special::norm_ppf((v - c) / (s - 2.0 * c + 1.0))).collect())
        .collect()
}

/// Folding: `|x − median(x)|` with the median over all chains pooled.
pub fn fold(chains: &Chains) -> Chains {
    let flat: Vec<f64> = chains.iter().flatten().copied().collect();
    let med = quantile_sorted(&sorted(&flat), 0.5);
    chains.iter().map(|c| c.iter().map(|v| (v - med).abs()).collect()).collect()
}

/// Indicator `x ≤ threshold` as 0.0 / 1.0.
pub fn indicator_le(chains: &Chains, threshold: f64) -> Chains {
    chains
        .iter()
        .map(|c| c.iter().map(|&v| if v <= threshold { 1.0 } else { 0.0 }).collect())
        .collect()
}

pub fn sorted(flat: &[f64]) -> Vec<f64> {
    let mut s = flat.to_vec();
    s.sort_by(f64::total_cmp);
    s
}

/// Quantile of sorted data with linear interpolation between order statistics
/// (Hyndman & Fan type 7; NumPy's default `method="linear"`): with `h = (N − 1) p`,
/// `q = x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋])`, using NumPy's symmetric lerp.
pub fn quantile_sorted(s: &[f64], p: f64) -> f64 {
    let n = s.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * p;
    let lo = h.floor() as usize;
    if lo + 1 >= n {
        return s[n - 1];
    }
    let t = h - lo as f64;
    let (a, b) = (s[lo], s[lo + 1]);
    let d = b - a;
    if t >= 0.5 {
        b - d * (1.0 - t)
    } else {
        a + d * t
    }
}

/// Quantile as SciPy's `mstats.mquantiles(alphap=1, betap=1)` computes it (ArviZ's
/// internal quantile for the tail-ESS threshold): the same type-7 quantile, written
/// `(1 − γ) x[k−1] + γ x[k]` with `aleph = (N − 1)p + 1`, `k = ⌊clip(aleph, 1, N−1)⌋`.
pub fn mquantile_sorted(s: &[f64], p: f64) -> f64 {
    let n = s.len();
    if n == 0 || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if n == 1 {
        return s[0];
    }
    let aleph = n as f64 * p + 1.0 - p;
    let k = aleph.clamp(1.0, (n - 1) as f64).floor();
    let gamma = (aleph - k).clamp(0.0, 1.0);
    let k = k as usize;
    (1.0 - gamma) * s[k - 1] + gamma * s[k]
}

fn reshape(flat: &[f64], like: &Chains) -> Chains {
    let mut out = Vec::with_capacity(like.len());
    let mut at = 0;
    for c in like {
        out.push(flat[at..at + c.len()].to_vec());
        at += c.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties() {
        let r = ranks(&vec![vec![3.0, 1.0], vec![3.0, 2.0]]);
        assert_eq!(r, vec![vec![3.5, 1.0], vec![3.5, 2.0]]);
    }

    #[test]
    fn split_drops_middle_of_odd_chain() {
        let s = split(&vec![vec![1.0, 2.0, 3.0, 4.0, 5.0]]);
        assert_eq!(s, vec![vec![1.0, 2.0], vec![4.0, 5.0]]);
    }

    #[test]
    fn quantile_type7() {
        let s = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&s, 0.5), 2.5);
        assert_eq!(quantile_sorted(&s, 0.0), 1.0);
        assert_eq!(quantile_sorted(&s, 1.0), 4.0);
        assert!((quantile_sorted(&s, 0.05) - 1.15).abs() < 1e-15);
        assert!((mquantile_sorted(&s, 0.05) - 1.15).abs() < 1e-15);
        assert_eq!(mquantile_sorted(&s, 1.0), 4.0);
    }
}
