//! `--init R` (a radius) or `--init FILE.json` (constrained parameter values).
//!
//! The JSON file holds an object of parameter names: a number for a scalar,
//! an array for a vector, an array of rows for a matrix (row-major), as
//! CmdStan's init files. Keys that are not parameters are ignored.

use crate::error::CliError;
use exmc::nuts::Init;
use exmc::Compiled;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The sampler's `Init` and the text for the CSV header's `init` line.
pub fn parse(arg: Option<&str>, compiled: &Compiled) -> Result<(Init, Option<String>), CliError> {
    let Some(arg) = arg else { return Ok((Init::Random, None)) };
    if let Ok(r) = arg.trim().parse::<f64>() {
        if !(r.is_finite() && r >= 0.0) {
            return Err(CliError::usage(format!("--init radius must be finite and >= 0, got {arg}")));
        }
        return Ok((Init::RandomRadius(r), Some(arg.trim().to_string())));
    }
    let path = Path::new(arg);
    let bad = |m: String| CliError::files(format!("{}: {m}", path.display()));
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::files(format!("--init {arg}: neither a radius nor a readable JSON file ({e})")))?;
    let json: Value = serde_json::from_str(&text).map_err(|e| bad(format!("line {}: {e}", e.line())))?;
    let obj = json.as_object().ok_or_else(|| bad("expected a JSON object of parameter values".into()))?;
    let names: HashSet<String> = compiled.param_names().into_iter().collect();
    let mut values = HashMap::new();
    for (k, v) in obj {
        insert_values(k, v, &names, &mut values).map_err(|m| bad(format!("'{k}': {m}")))?;
    }
    let x = compiled.unconstrain(&values).map_err(|m| {
        let hint = if m.contains("non-centred") { "; drop --noncentre to give it initial values" } else { "" };
        bad(format!("{m}{hint}"))
    })?;
    Ok((Init::Given(x), Some(path.display().to_string())))
}

/// The values of `key`: one parameter of that name, or, for an array that
/// the model holds as one parameter per element (`theta.1`, `theta.2`, ...:
/// arrays of simplexes, of matrices, of 3+ dimensions), its elements under
/// those names, recursively.
fn insert_values(key: &str, v: &Value, names: &HashSet<String>, out: &mut HashMap<String, Vec<f64>>) -> Result<(), String> {
    if let (false, Value::Array(items)) = (names.contains(key), v) {
        if names.iter().any(|n| n.starts_with(&format!("{key}."))) {
            for (i, item) in items.iter().enumerate() {
                insert_values(&format!("{key}.{}", i + 1), item, names, out)?;
            }
            return Ok(());
        }
    }
    let mut flat = Vec::new();
    flatten(v, &mut flat)?;
    out.insert(key.to_string(), flat);
    Ok(())
}

/// Numbers in row-major order.
fn flatten(v: &Value, out: &mut Vec<f64>) -> Result<(), String> {
    match v {
        Value::Number(n) => out.push(n.as_f64().ok_or("not a number")?),
        Value::Array(items) => {
            for i in items {
                flatten(i, out)?;
            }
        }
        other => return Err(format!("expected numbers, found {other}")),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_held_per_element_are_split_by_name() {
        let names: HashSet<String> = ["mu", "w.1", "w.2", "t.1.1", "t.1.2", "t.2.1", "t.2.2"].iter().map(|s| s.to_string()).collect();
        let json: Value = serde_json::from_str(
            r#"{"mu": [1, 2], "w": [[0.2, 0.8], [0.5, 0.5]], "t": [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], "other": [[1]]}"#,
        )
        .unwrap();
        let mut out = HashMap::new();
        for (k, v) in json.as_object().unwrap() {
            insert_values(k, v, &names, &mut out).unwrap();
        }
        assert_eq!(out["mu"], [1.0, 2.0]);
        assert_eq!(out["w.2"], [0.5, 0.5]);
        assert_eq!(out["t.2.1"], [5.0, 6.0]);
        assert_eq!(out["other"], [1.0], "keys that are not parameters are kept as given (and ignored later)");
        assert!(insert_values("mu", &serde_json::json!("x"), &names, &mut out).unwrap_err().contains("expected numbers"));
    }
}
