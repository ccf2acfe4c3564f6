//! Type checker (work in progress).
pub mod types;
