//! The table of Stan's builtin functions and distributions: signatures (with
//! the vectorised argument classes), return types, and whether exmc
//! implements each entry yet.
//!
//! Lookup is by full name: `log`, `normal_lpdf`, `normal_lupdf`,
//! `normal_lcdf`, `normal_lccdf`, `normal_rng`. Every entry carries a
//! [`Builtin`] id the lowering dispatches on.

pub mod distributions;
pub mod functions;
pub mod sig;
pub mod unknown;

pub use distributions::Dist;
pub use functions::{higher_order, Func, HigherOrder};
pub use sig::{ArgPat, RetPat, Sig};

use std::collections::HashMap;
use std::sync::OnceLock;

/// Which function of a distribution family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DistFn {
    /// `_lpdf` / `_lpmf` (also what `y ~ dist(...)` calls).
    Lpdf,
    /// `_lupdf` / `_lupmf` (constants may be dropped).
    Lupdf,
    Lcdf,
    Lccdf,
    /// `_cdf` (not logged; written with `|`).
    Cdf,
    Rng,
}

/// Identifier of a resolved builtin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    Fn(Func),
    Dist(Dist, DistFn),
}

/// One callable name with its signatures.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    pub id: Builtin,
    pub sigs: Vec<Sig>,
    /// exmc implements this function (see also [`Sig::supported`]).
    pub supported: bool,
}

impl Entry {
    /// Whether the signature `sig` (an index into `sigs`) is implemented.
    pub fn sig_supported(&self, sig: usize) -> bool {
        self.supported && self.sigs.get(sig).is_some_and(|s| s.supported)
    }
}

/// A distribution family (for `y ~ family(...)` and truncation).
#[derive(Clone, Copy, Debug)]
pub struct Family {
    pub id: Dist,
    pub name: &'static str,
    pub discrete: bool,
    pub has_cdf: bool,
    pub has_rng: bool,
}

impl Family {
    /// `"normal_lpdf"`, `"poisson_lpmf"`, `"normal_lcdf"`, ...
    pub fn fn_name(&self, f: DistFn) -> String {
        let suffix = match (f, self.discrete) {
            (DistFn::Lpdf, false) => "lpdf",
            (DistFn::Lpdf, true) => "lpmf",
            (DistFn::Lupdf, false) => "lupdf",
            (DistFn::Lupdf, true) => "lupmf",
            (DistFn::Lcdf, _) => "lcdf",
            (DistFn::Lccdf, _) => "lccdf",
            (DistFn::Cdf, _) => "cdf",
            (DistFn::Rng, _) => "rng",
        };
        format!("{}_{suffix}", self.name)
    }
}

struct Library {
    entries: HashMap<String, Entry>,
    families: HashMap<&'static str, Family>,
}

fn parse_all(texts: &[&str], wrap: bool) -> Vec<Sig> {
    texts
        .iter()
        .filter_map(|s| if wrap { Sig::parse(&format!("real({s})")) } else { Sig::parse(s) })
        .collect()
}

fn library() -> &'static Library {
    static LIB: OnceLock<Library> = OnceLock::new();
    LIB.get_or_init(|| {
        let mut entries = HashMap::new();
        for &(id, name, supported, sigs) in functions::FUNCTIONS {
            let e = Entry { name: name.to_string(), id: Builtin::Fn(id), sigs: parse_all(sigs, false), supported };
            entries.insert(name.to_string(), e);
        }
        let mut families = HashMap::new();
        for d in distributions::DISTRIBUTIONS {
            let fam = Family { id: d.id, name: d.name, discrete: d.discrete, has_cdf: d.has_cdf, has_rng: !d.rng.is_empty() };
            families.insert(d.name, fam);
            let dens = parse_all(d.sigs, true);
            let mut add = |f: DistFn, sigs: Vec<Sig>, supported: bool| {
                let name = fam.fn_name(f);
                entries.insert(name.clone(), Entry { name, id: Builtin::Dist(d.id, f), sigs, supported });
            };
            add(DistFn::Lpdf, dens.clone(), d.lp_supported);
            add(DistFn::Lupdf, dens.clone(), d.lp_supported);
            if d.has_cdf {
                add(DistFn::Lcdf, dens.clone(), d.cdf_supported);
                add(DistFn::Lccdf, dens.clone(), d.cdf_supported);
                add(DistFn::Cdf, dens, false);
            }
            if !d.rng.is_empty() {
                add(DistFn::Rng, parse_all(d.rng, false), d.rng_supported);
            }
        }
        Library { entries, families }
    })
}

/// The builtin callable named `name` (`"log"`, `"normal_lpdf"`, ...).
pub fn lookup(name: &str) -> Option<&'static Entry> {
    library().entries.get(name)
}

/// The distribution family named `name` (`"normal"`, `"poisson"`).
pub fn family(name: &str) -> Option<&'static Family> {
    library().families.get(name)
}

/// The modern name of a removed distribution-function spelling:
/// `normal_log` → `normal_lpdf` (`poisson_log` → `poisson_lpmf`),
/// `normal_cdf_log` → `normal_lcdf`, `normal_ccdf_log` → `normal_lccdf`.
pub fn legacy_alias(name: &str) -> Option<String> {
    let (base, f) = if let Some(b) = name.strip_suffix("_ccdf_log") {
        (b, DistFn::Lccdf)
    } else if let Some(b) = name.strip_suffix("_cdf_log") {
        (b, DistFn::Lcdf)
    } else if let Some(b) = name.strip_suffix("_log") {
        (b, DistFn::Lpdf)
    } else {
        return None;
    };
    let fam = family(base)?;
    let modern = fam.fn_name(f);
    lookup(&modern).map(|_| modern)
}

/// Every builtin callable name (for "did you mean" suggestions).
pub fn names() -> impl Iterator<Item = &'static str> {
    library().entries.keys().map(|s| s.as_str())
}

/// Every distribution family name.
pub fn family_names() -> impl Iterator<Item = &'static str> {
    library().families.keys().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_by_suffix() {
        let e = lookup("normal_lpdf").unwrap();
        assert_eq!(e.id, Builtin::Dist(Dist::Normal, DistFn::Lpdf));
        assert!(e.supported);
        assert!(lookup("poisson_lpmf").is_some());
        assert!(lookup("poisson_lpdf").is_none());
        assert!(!lookup("wishart_lpdf").unwrap().supported);
        assert!(lookup("bernoulli_logit_lcdf").is_none());
        assert_eq!(lookup("log").unwrap().id, Builtin::Fn(Func::Log));
        assert!(family("normal").unwrap().has_cdf);
        assert_eq!(legacy_alias("normal_log").as_deref(), Some("normal_lpdf"));
        assert_eq!(legacy_alias("poisson_log_log").as_deref(), Some("poisson_log_lpmf"));
        assert_eq!(legacy_alias("normal_ccdf_log").as_deref(), Some("normal_lccdf"));
        assert_eq!(legacy_alias("multiply_log"), None);
        assert!(lookup("normal_cdf").is_some());
        // the list of distributions is all present
        for n in [
            "normal", "std_normal", "student_t", "cauchy", "double_exponential", "logistic", "gumbel", "lognormal",
            "exponential", "gamma", "inv_gamma", "weibull", "beta", "uniform", "chi_square", "inv_chi_square",
            "scaled_inv_chi_square", "von_mises", "frechet", "rayleigh", "pareto", "pareto_type_2", "skew_normal",
            "exp_mod_normal", "bernoulli", "bernoulli_logit", "binomial", "binomial_logit", "poisson", "poisson_log",
            "neg_binomial", "neg_binomial_2", "neg_binomial_2_log", "beta_binomial", "categorical",
            "categorical_logit", "ordered_logistic", "dirichlet", "multi_normal", "multi_normal_cholesky",
            "multi_student_t", "lkj_corr", "lkj_corr_cholesky", "wishart", "inv_wishart",
        ] {
            assert!(family(n).is_some(), "{n}");
        }
    }
}
