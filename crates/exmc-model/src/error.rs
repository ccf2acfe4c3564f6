//! Errors met while building or compiling a model. Each names the variable.

use std::fmt;

/// A problem with the model as declared; found at build or compile time,
/// never at sampling time.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelError {
    /// Two variables (parameters, observed, deterministics, factors) share a name.
    DuplicateName { name: String },
    /// A lookup of a name that was never declared.
    UnknownName { name: String, suggestion: Option<String> },
    /// Shapes do not fit together.
    Shape { var: String, message: String },
    /// Observed data has a NaN or infinite value.
    NonFiniteData { var: String, index: usize, value: f64 },
    /// Integer data is outside the distribution's support (e.g. a negative count).
    InvalidData { var: String, message: String },
    /// A distribution argument or constraint that cannot be used.
    Invalid { var: String, message: String },
    /// A feature that is not implemented yet.
    Unsupported { var: String, message: String },
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::DuplicateName { name } => write!(f, "variable '{name}' is declared twice"),
            ModelError::UnknownName { name, suggestion } => {
                write!(f, "unknown variable '{name}'")?;
                if let Some(s) = suggestion {
                    write!(f, " (did you mean '{s}'?)")?;
                }
                Ok(())
            }
            ModelError::Shape { var, message } => write!(f, "variable '{var}': {message}"),
            ModelError::NonFiniteData { var, index, value } => {
                write!(f, "variable '{var}': observed value at index {index} is {value}; data must be finite")
            }
            ModelError::InvalidData { var, message } => write!(f, "variable '{var}': {message}"),
            ModelError::Invalid { var, message } => write!(f, "variable '{var}': {message}"),
            ModelError::Unsupported { var, message } => write!(f, "variable '{var}': not supported yet: {message}"),
        }
    }
}

impl std::error::Error for ModelError {}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + (ca != cb) as usize).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest of `candidates` to `name`, if close enough to be a typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|&(d, c)| d <= (c.len().max(name.len()) / 3).max(1))
        .min()
        .map(|(_, c)| c.to_string())
}
