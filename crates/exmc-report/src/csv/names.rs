//! Parameter names: Stan's `Sigma[1,2]` and CmdStan CSV's `Sigma.1.2`.
//!
//! Array, vector and matrix elements are flattened in column-major order (first
//! index fastest), as CmdStan does: `Sigma[1,1], Sigma[2,1], Sigma[1,2], Sigma[2,2]`.

/// `Sigma[1,2]` → `Sigma.1.2`; a scalar name is returned unchanged. Names that do
/// not look like `base[i,j,...]` with positive integer indices are returned unchanged.
pub fn stan_to_csv_name(name: &str) -> String {
    match split_stan_name(name) {
        Some((base, idx)) => {
            let mut s = base.to_string();
            for i in idx {
                s.push('.');
                s.push_str(&i.to_string());
            }
            s
        }
        None => name.to_string(),
    }
}

/// `Sigma.1.2` → `Sigma[1,2]`; a name without trailing `.integer` parts is returned
/// unchanged (`lp__` stays `lp__`).
pub fn csv_to_stan_name(name: &str) -> String {
    let mut parts = name.split('.');
    let base = parts.next().unwrap_or("");
    let idx: Vec<&str> = parts.collect();
    if base.is_empty() || idx.is_empty() || !idx.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return name.to_string();
    }
    format!("{base}[{}]", idx.join(","))
}

/// Splits `base[i,j]` into `("base", [i, j])`; `None` when the name has no index
/// or the index is not a comma-separated list of positive integers.
pub fn split_stan_name(name: &str) -> Option<(&str, Vec<usize>)> {
    let open = name.find('[')?;
    let inner = name[open + 1..].strip_suffix(']')?;
    let base = &name[..open];
    if base.is_empty() {
        return None;
    }
    let idx: Option<Vec<usize>> = inner.split(',').map(|p| p.trim().parse::<usize>().ok().filter(|&i| i > 0)).collect();
    Some((base, idx?))
}

/// All element names of a variable with the given dimensions, in CmdStan's
/// column-major order: `element_names("Sigma", &[2, 2])` gives
/// `Sigma[1,1], Sigma[2,1], Sigma[1,2], Sigma[2,2]`. A scalar (`&[]`) gives `[name]`;
/// any zero dimension gives no names.
pub fn element_names(name: &str, dims: &[usize]) -> Vec<String> {
    if dims.is_empty() {
        return vec![name.to_string()];
    }
    let total: usize = dims.iter().product();
    let mut out = Vec::with_capacity(total);
    let mut idx = vec![1usize; dims.len()];
    for _ in 0..total {
        let list: Vec<String> = idx.iter().map(usize::to_string).collect();
        out.push(format!("{name}[{}]", list.join(",")));
        // Increment the first index fastest.
        for (k, d) in dims.iter().enumerate() {
            if idx[k] < *d {
                idx[k] += 1;
                break;
            }
            idx[k] = 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_convert_both_ways() {
        assert_eq!(stan_to_csv_name("Sigma[1,2]"), "Sigma.1.2");
        assert_eq!(stan_to_csv_name("theta[10]"), "theta.10");
        assert_eq!(stan_to_csv_name("mu"), "mu");
        assert_eq!(stan_to_csv_name("bad[x]"), "bad[x]");
        assert_eq!(csv_to_stan_name("Sigma.1.2"), "Sigma[1,2]");
        assert_eq!(csv_to_stan_name("lp__"), "lp__");
        assert_eq!(csv_to_stan_name("a.b"), "a.b");
        for n in ["x", "x[3]", "L_Omega[4,2]", "z[1,2,3]"] {
            assert_eq!(csv_to_stan_name(&stan_to_csv_name(n)), n);
        }
    }

    #[test]
    fn column_major_order() {
        assert_eq!(element_names("S", &[2, 2]), ["S[1,1]", "S[2,1]", "S[1,2]", "S[2,2]"]);
        assert_eq!(element_names("v", &[3]), ["v[1]", "v[2]", "v[3]"]);
        assert_eq!(element_names("s", &[]), ["s"]);
        assert!(element_names("e", &[0, 3]).is_empty());
        assert_eq!(element_names("a", &[2, 1, 2])[2], "a[1,1,2]");
    }
}
