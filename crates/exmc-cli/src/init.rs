//! `--init R` (a radius) or `--init FILE.json` (constrained parameter values).
//!
//! The JSON file holds an object of parameter names: a number for a scalar,
//! an array for a vector, an array of rows for a matrix (row-major), as
//! CmdStan's init files. Keys that are not parameters are ignored.

use crate::error::CliError;
use exmc::nuts::Init;
use exmc::Compiled;
use serde_json::Value;
use std::collections::HashMap;
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
    let mut values = HashMap::new();
    for (k, v) in obj {
        let mut flat = Vec::new();
        flatten(v, &mut flat).map_err(|m| bad(format!("'{k}': {m}")))?;
        values.insert(k.clone(), flat);
    }
    let x = compiled.unconstrain(&values).map_err(|m| {
        let hint = if m.contains("non-centred") { "; drop --noncentre to give it initial values" } else { "" };
        bad(format!("{m}{hint}"))
    })?;
    Ok((Init::Given(x), Some(path.display().to_string())))
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
