//! Types of Stan expressions as the checker sees them: a base (`int`, `real`,
//! `vector`, `row_vector`, `matrix`) and a number of array dimensions. Sizes
//! are not part of the type (Stan checks them at run time).

use crate::ast::{SizedBase, UnsizedBase, UnsizedType};
use std::fmt;

/// Element type of a (possibly array) type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Base {
    Int,
    Real,
    Vector,
    RowVector,
    Matrix,
}

impl Base {
    pub fn name(self) -> &'static str {
        match self {
            Base::Int => "int",
            Base::Real => "real",
            Base::Vector => "vector",
            Base::RowVector => "row_vector",
            Base::Matrix => "matrix",
        }
    }
    /// Scalar bases (`int`, `real`).
    pub fn is_scalar(self) -> bool {
        matches!(self, Base::Int | Base::Real)
    }
}

/// `array[,..] base` with `dims` array dimensions (0 for a plain base).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Type {
    pub base: Base,
    pub dims: usize,
}

impl Type {
    pub const INT: Type = Type { base: Base::Int, dims: 0 };
    pub const REAL: Type = Type { base: Base::Real, dims: 0 };
    pub const VECTOR: Type = Type { base: Base::Vector, dims: 0 };
    pub const ROW_VECTOR: Type = Type { base: Base::RowVector, dims: 0 };
    pub const MATRIX: Type = Type { base: Base::Matrix, dims: 0 };

    pub fn new(base: Base, dims: usize) -> Type {
        Type { base, dims }
    }
    pub fn array(self, extra: usize) -> Type {
        Type { base: self.base, dims: self.dims + extra }
    }
    /// `int` or `real` (no array dimensions).
    pub fn is_scalar(self) -> bool {
        self.dims == 0 && self.base.is_scalar()
    }
    pub fn is_int(self) -> bool {
        self == Type::INT
    }
    /// `int` or `array[..] int`.
    pub fn is_int_valued(self) -> bool {
        self.base == Base::Int
    }
    /// Replace an `int` base by `real` (int→real promotion of the elements).
    pub fn promoted(self) -> Type {
        if self.base == Base::Int {
            Type { base: Base::Real, dims: self.dims }
        } else {
            self
        }
    }
    /// The element type after removing one array dimension (None if not an array).
    pub fn element(self) -> Option<Type> {
        (self.dims > 0).then(|| Type { base: self.base, dims: self.dims - 1 })
    }
    /// Whether a value of type `self` may be used where `to` is expected,
    /// allowing Stan's int→real promotion (also inside arrays).
    pub fn promotes_to(self, to: Type) -> bool {
        self == to || (self.dims == to.dims && self.base == Base::Int && to.base == Base::Real)
    }
    /// The common type of two branches (`?:`, array literal elements).
    pub fn join(a: Type, b: Type) -> Option<Type> {
        if a.promotes_to(b) {
            Some(b)
        } else if b.promotes_to(a) {
            Some(a)
        } else {
            None
        }
    }
    /// The checker's type for a signature type; `None` for the unsupported
    /// complex and tuple types.
    pub fn from_unsized(t: &UnsizedType) -> Option<Type> {
        let base = match t.base {
            UnsizedBase::Int => Base::Int,
            UnsizedBase::Real => Base::Real,
            UnsizedBase::Vector => Base::Vector,
            UnsizedBase::RowVector => Base::RowVector,
            UnsizedBase::Matrix => Base::Matrix,
            UnsizedBase::Complex
            | UnsizedBase::ComplexVector
            | UnsizedBase::ComplexRowVector
            | UnsizedBase::ComplexMatrix
            | UnsizedBase::Tuple => return None,
        };
        Some(Type { base, dims: t.array_dims })
    }
    /// The value type of a declared base (constrained types are vectors or
    /// matrices); `None` for the unsupported complex and tuple types.
    pub fn base_of_sized(b: &SizedBase) -> Option<Base> {
        Some(match b {
            SizedBase::Complex
            | SizedBase::ComplexVector(_)
            | SizedBase::ComplexRowVector(_)
            | SizedBase::ComplexMatrix(..)
            | SizedBase::Tuple(_) => return None,
            SizedBase::Int => Base::Int,
            SizedBase::Real => Base::Real,
            SizedBase::Vector(_)
            | SizedBase::Simplex(_)
            | SizedBase::UnitVector(_)
            | SizedBase::SumToZeroVector(_)
            | SizedBase::Ordered(_)
            | SizedBase::PositiveOrdered(_) => Base::Vector,
            SizedBase::RowVector(_) => Base::RowVector,
            SizedBase::Matrix(..)
            | SizedBase::SumToZeroMatrix(..)
            | SizedBase::ColumnStochasticMatrix(..)
            | SizedBase::RowStochasticMatrix(..)
            | SizedBase::CholeskyFactorCorr(_)
            | SizedBase::CholeskyFactorCov(..)
            | SizedBase::CorrMatrix(_)
            | SizedBase::CovMatrix(_) => Base::Matrix,
        })
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dims > 0 {
            write!(f, "array[{}] ", ",".repeat(self.dims - 1))?;
        }
        f.write_str(self.base.name())
    }
}

/// The result type of a function: a value or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetType {
    Void,
    Value(Type),
}

impl fmt::Display for RetType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetType::Void => f.write_str("void"),
            RetType::Value(t) => t.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_promotion() {
        assert_eq!(Type::new(Base::Real, 2).to_string(), "array[,] real");
        assert_eq!(Type::VECTOR.to_string(), "vector");
        assert!(Type::INT.promotes_to(Type::REAL));
        assert!(Type::new(Base::Int, 1).promotes_to(Type::new(Base::Real, 1)));
        assert!(!Type::REAL.promotes_to(Type::INT));
        assert!(!Type::INT.promotes_to(Type::VECTOR));
        assert_eq!(Type::join(Type::INT, Type::REAL), Some(Type::REAL));
        assert_eq!(Type::join(Type::VECTOR, Type::REAL), None);
    }
}
