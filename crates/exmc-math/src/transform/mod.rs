//! Constraining transforms: unconstrained `y ∈ ℝⁿ` → constrained `x`, with
//! `log |det J|` and reverse-mode gradients. One file per transform.
