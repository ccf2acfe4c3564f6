//! Shapes of model quantities: scalars, vectors, matrices (row-major).

use std::fmt;

/// The shape of a value. Matrices are stored row-major.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    Scalar,
    Vector(usize),
    Matrix(usize, usize),
}

impl Shape {
    /// Number of elements.
    pub fn len(self) -> usize {
        match self {
            Shape::Scalar => 1,
            Shape::Vector(n) => n,
            Shape::Matrix(r, c) => r * c,
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }

    pub fn is_scalar(self) -> bool {
        matches!(self, Shape::Scalar)
    }

    /// The shape of an elementwise combination of `self` and `other` with
    /// scalar broadcasting, or `None` if the shapes are incompatible.
    pub fn broadcast(self, other: Shape) -> Option<Shape> {
        match (self, other) {
            (Shape::Scalar, s) | (s, Shape::Scalar) => Some(s),
            (a, b) if a == b => Some(a),
            _ => None,
        }
    }

    /// Builds a shape from a list of dimensions (`[]`, `[n]`, `[r, c]`).
    pub fn from_dims(dims: &[usize]) -> Option<Shape> {
        match dims {
            [] => Some(Shape::Scalar),
            [n] => Some(Shape::Vector(*n)),
            [r, c] => Some(Shape::Matrix(*r, *c)),
            _ => None,
        }
    }

    pub fn dims(self) -> Vec<usize> {
        match self {
            Shape::Scalar => vec![],
            Shape::Vector(n) => vec![n],
            Shape::Matrix(r, c) => vec![r, c],
        }
    }

    /// Stan-style flattened element names of a variable with this shape,
    /// 1-based, in Stan's output order (matrices column-major):
    /// `theta[1]`, `Sigma[2,1]`. Returns `(name, row-major index)` pairs.
    pub fn element_names(self, base: &str) -> Vec<(String, usize)> {
        match self {
            Shape::Scalar => vec![(base.to_string(), 0)],
            Shape::Vector(n) => (0..n).map(|i| (format!("{base}[{}]", i + 1), i)).collect(),
            Shape::Matrix(r, c) => {
                let mut v = Vec::with_capacity(r * c);
                for j in 0..c {
                    for i in 0..r {
                        v.push((format!("{base}[{},{}]", i + 1, j + 1), i * c + j));
                    }
                }
                v
            }
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Scalar => write!(f, "scalar"),
            Shape::Vector(n) => write!(f, "vector[{n}]"),
            Shape::Matrix(r, c) => write!(f, "matrix[{r},{c}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasting_rules() {
        assert_eq!(Shape::Scalar.broadcast(Shape::Vector(3)), Some(Shape::Vector(3)));
        assert_eq!(Shape::Vector(3).broadcast(Shape::Vector(3)), Some(Shape::Vector(3)));
        assert_eq!(Shape::Vector(3).broadcast(Shape::Vector(4)), None);
        assert_eq!(Shape::Matrix(2, 3).broadcast(Shape::Vector(6)), None);
    }

    #[test]
    fn matrix_names_are_column_major() {
        let names = Shape::Matrix(2, 2).element_names("S");
        let n: Vec<_> = names.iter().map(|(s, i)| (s.as_str(), *i)).collect();
        assert_eq!(n, vec![("S[1,1]", 0), ("S[2,1]", 2), ("S[1,2]", 1), ("S[2,2]", 3)]);
    }
}
