//! Expressions: the nodes of the model graph.
//!
//! An [`Expr`] is a cheap handle (`Rc`) to an immutable node; sharing a handle
//! shares the node, so the graph is a DAG and the compiler evaluates every
//! node once. Expressions are built with operator overloading (`+ - * /`,
//! unary `-`), methods (`x.exp()`, `x.sum()`), and free functions
//! ([`dot`], [`matvec`], [`concat`], ...). Scalars broadcast against vectors.
//!
//! Shapes are checked as nodes are built; a mismatch is recorded in the node
//! (operators cannot return `Result`) and reported, naming the variable, when
//! the expression is given to the model.

use crate::dist::Dist;
use crate::shape::Shape;
use std::fmt;
use std::rc::Rc;

/// Elementwise functions of one argument.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryFn {
    Neg,
    Exp,
    Log,
    Log1p,
    Expm1,
    Sqrt,
    Square,
    Abs,
    Inv,
    InvSqrt,
    Log1m,
    Log1mExp,
    InvLogit,
    LogInvLogit,
    Log1mInvLogit,
    /// `log(1 + exp(x))`.
    Softplus,
    Logit,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Cbrt,
    Log2,
    Log10,
    Exp2,
    Lgamma,
    Digamma,
    /// `ψ'(x)` (Stan's `trigamma`).
    Trigamma,
    Erf,
    Erfc,
    /// Standard normal CDF.
    Phi,
    /// Standard normal inverse CDF.
    InvPhi,
    /// Piecewise constant functions (zero derivative almost everywhere).
    Floor,
    Ceil,
    Round,
    Trunc,
    /// `x > 0 ? 1 : 0`... Stan's `step(x)` is `x < 0 ? 0 : 1`.
    Step,
    /// Logical not (`x == 0 ? 1 : 0`).
    Not,
}

/// Elementwise functions of two arguments (with scalar broadcasting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryFn {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Fmin,
    Fmax,
    Hypot,
    Atan2,
    /// `log(exp(a) + exp(b))`.
    LogSumExp,
    /// `log(exp(a) - exp(b))`.
    LogDiffExp,
    /// `a * log(b)` with `0 * log(0) = 0` (Stan's `multiply_log` / `lmultiply`).
    MultiplyLog,
    /// `log B(a, b)`, the log beta function (Stan's `lbeta`).
    Lbeta,
    /// `B(a, b)`, the beta function (Stan's `beta`).
    Beta,
    /// Regularised lower incomplete gamma `P(a, x)` (Stan's `gamma_p`).
    GammaP,
    /// Regularised upper incomplete gamma `Q(a, x)` (Stan's `gamma_q`).
    GammaQ,
    /// Owen's T function `T(h, a)` (Stan's `owens_t`).
    OwensT,
    // Comparisons and logic give 1.0 / 0.0 and have zero derivative.
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    /// Integer-style modulus on reals (`fmod`).
    Fmod,
}

/// A node of the model graph.
pub(crate) enum Node {
    /// Data (f64, row-major).
    Const(Rc<[f64]>),
    /// Integer data (counts, indices); as a real-valued expression it is its
    /// value converted to f64.
    IntConst(Rc<[i64]>),
    /// The constrained value of a model parameter (index into the model's
    /// parameter list).
    Param(usize),
    Unary(UnaryFn, Expr),
    Binary(BinaryFn, Expr, Expr),
    /// Sum of all elements.
    Sum(Expr),
    /// `Σ aᵢ bᵢ`.
    Dot(Expr, Expr),
    /// `log Σ exp(aᵢ)`.
    LogSumExp(Expr),
    CumSum(Expr),
    /// Matrix (rows × cols, row-major) times vector.
    MatVec(Expr, Expr),
    /// Lower Cholesky factor `L` of a square matrix `A = L Lᵀ` (row-major;
    /// only the lower triangle of `A` is read).
    Cholesky(Expr),
    /// `out[k] = a[idx[k]]` over the flattened elements (0-based).
    Gather(Expr, Rc<[u32]>),
    /// Concatenation of the flattened elements, given an output shape.
    Concat(Vec<Expr>),
    /// Same elements, new shape.
    Reshape(Expr),
    /// The log density of a distribution at a value (a scalar).
    LogDensity(Box<Dist>, Expr),
    /// `cond != 0 ? a : b` (the condition is evaluated; only the chosen
    /// branch receives gradient).
    Select(Expr, Expr, Expr),
    /// A user-supplied log-density term of the arguments (a scalar).
    Custom(crate::custom::CustomRef, Vec<Expr>),
    /// A user-supplied vector-valued function of the arguments (a vector
    /// of `out_len`).
    CustomFn(crate::custom_fn::CustomFnRef, Vec<Expr>),
}

pub(crate) struct NodeData {
    pub(crate) node: Node,
    pub(crate) shape: Shape,
    /// First shape error in this subgraph, if any.
    pub(crate) error: Option<Rc<str>>,
    /// Whether the node depends on a parameter (else it is data, folded at
    /// compile time).
    pub(crate) random: bool,
}

/// A handle to a node of the model graph. Clone is cheap (reference count).
#[derive(Clone)]
pub struct Expr(pub(crate) Rc<NodeData>);

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Expr({}, {})", self.kind_name(), self.0.shape)
    }
}

impl Expr {
    pub(crate) fn new(node: Node, shape: Shape) -> Expr {
        let (error, random) = Self::inherit(&node);
        Expr(Rc::new(NodeData { node, shape, error, random }))
    }

    fn with_error(node: Node, shape: Shape, msg: String) -> Expr {
        let (error, random) = Self::inherit(&node);
        let error = error.or_else(|| Some(Rc::from(msg.as_str())));
        Expr(Rc::new(NodeData { node, shape, error, random }))
    }

    fn inherit(node: &Node) -> (Option<Rc<str>>, bool) {
        let mut err: Option<Rc<str>> = None;
        let mut random = matches!(node, Node::Param(_));
        node.for_each_child(|c| {
            if err.is_none() {
                err = c.0.error.clone();
            }
            random |= c.0.random;
        });
        if let Node::LogDensity(d, _) = node {
            for a in &d.args {
                if err.is_none() {
                    err = a.0.error.clone();
                }
                random |= a.0.random;
            }
        }
        (err, random)
    }

    /// A scalar constant.
    pub fn scalar(v: f64) -> Expr {
        Expr::new(Node::Const(Rc::from(vec![v])), Shape::Scalar)
    }

    /// A data vector.
    pub fn vector(v: impl Into<Vec<f64>>) -> Expr {
        let v: Vec<f64> = v.into();
        let n = v.len();
        Expr::new(Node::Const(Rc::from(v)), Shape::Vector(n))
    }

    /// A data matrix from row-major values; errors (recorded in the node)
    /// if `values.len() != rows * cols`.
    pub fn matrix(rows: usize, cols: usize, values: impl Into<Vec<f64>>) -> Expr {
        let v: Vec<f64> = values.into();
        let n = v.len();
        let node = Node::Const(Rc::from(v));
        if n != rows * cols {
            return Expr::with_error(
                node,
                Shape::Matrix(rows, cols),
                format!("matrix data has {n} values, expected {rows}×{cols} = {}", rows * cols),
            );
        }
        Expr::new(node, Shape::Matrix(rows, cols))
    }

    /// A data matrix from rows (all of the same length).
    pub fn matrix_from_rows(rows: &[Vec<f64>]) -> Expr {
        let r = rows.len();
        let c = rows.first().map_or(0, |x| x.len());
        let flat: Vec<f64> = rows.iter().flatten().copied().collect();
        if rows.iter().any(|x| x.len() != c) {
            return Expr::with_error(
                Node::Const(Rc::from(flat)),
                Shape::Matrix(r, c),
                "matrix rows have different lengths".into(),
            );
        }
        Expr::matrix(r, c, flat)
    }

    /// Integer data of any shape (row-major); as a real expression, its
    /// values as f64. The variate of a discrete distribution.
    pub fn int_data(v: impl Into<Vec<i64>>, shape: Shape) -> Expr {
        let v: Vec<i64> = v.into();
        if v.len() != shape.len() {
            let msg = format!("integer data has {} values, expected {} for {shape}", v.len(), shape.len());
            return Expr::with_error(Node::IntConst(Rc::from(v)), shape, msg);
        }
        Expr::new(Node::IntConst(Rc::from(v)), shape)
    }

    /// Data of any shape (row-major).
    pub fn data(v: impl Into<Vec<f64>>, shape: Shape) -> Expr {
        let v: Vec<f64> = v.into();
        if v.len() != shape.len() {
            let msg = format!("data has {} values, expected {} for {shape}", v.len(), shape.len());
            return Expr::with_error(Node::Const(Rc::from(v)), shape, msg);
        }
        Expr::new(Node::Const(Rc::from(v)), shape)
    }

    /// Integer data (a vector); as a real expression, its values as f64.
    pub fn int_vector(v: impl Into<Vec<i64>>) -> Expr {
        let v: Vec<i64> = v.into();
        let n = v.len();
        Expr::new(Node::IntConst(Rc::from(v)), Shape::Vector(n))
    }

    pub fn shape(&self) -> Shape {
        self.0.shape
    }

    pub fn len(&self) -> usize {
        self.0.shape.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the expression depends on a parameter.
    pub fn is_random(&self) -> bool {
        self.0.random
    }

    /// The first shape error recorded in this expression, if any.
    pub fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// The data values if this is a constant node (no folding done here).
    pub fn as_const(&self) -> Option<&[f64]> {
        match &self.0.node {
            Node::Const(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn as_int_const(&self) -> Option<&[i64]> {
        match &self.0.node {
            Node::IntConst(v) => Some(v),
            _ => None,
        }
    }

    pub(crate) fn ptr(&self) -> *const NodeData {
        Rc::as_ptr(&self.0)
    }

    fn kind_name(&self) -> &'static str {
        match &self.0.node {
            Node::Const(_) => "const",
            Node::IntConst(_) => "int",
            Node::Param(_) => "param",
            Node::Unary(..) => "unary",
            Node::Binary(..) => "binary",
            Node::Sum(_) => "sum",
            Node::Dot(..) => "dot",
            Node::LogSumExp(_) => "log_sum_exp",
            Node::CumSum(_) => "cumulative_sum",
            Node::MatVec(..) => "matvec",
            Node::Cholesky(_) => "cholesky",
            Node::Gather(..) => "gather",
            Node::Concat(_) => "concat",
            Node::Reshape(_) => "reshape",
            Node::LogDensity(..) => "log_density",
            Node::Select(..) => "select",
            Node::Custom(..) => "custom",
            Node::CustomFn(..) => "custom_fn",
        }
    }

    // ---- elementwise functions ----

    pub fn unary(&self, f: UnaryFn) -> Expr {
        Expr::new(Node::Unary(f, self.clone()), self.shape())
    }

    pub fn binary(&self, f: BinaryFn, other: impl Into<Expr>) -> Expr {
        let other = other.into();
        match self.shape().broadcast(other.shape()) {
            Some(s) => Expr::new(Node::Binary(f, self.clone(), other), s),
            None => {
                let msg = format!("shape mismatch in {f:?}: {} and {}", self.shape(), other.shape());
                Expr::with_error(Node::Binary(f, self.clone(), other), self.shape(), msg)
            }
        }
    }

    pub fn exp(&self) -> Expr {
        self.unary(UnaryFn::Exp)
    }
    pub fn ln(&self) -> Expr {
        self.unary(UnaryFn::Log)
    }
    pub fn log(&self) -> Expr {
        self.unary(UnaryFn::Log)
    }
    pub fn log1p(&self) -> Expr {
        self.unary(UnaryFn::Log1p)
    }
    pub fn expm1(&self) -> Expr {
        self.unary(UnaryFn::Expm1)
    }
    pub fn sqrt(&self) -> Expr {
        self.unary(UnaryFn::Sqrt)
    }
    pub fn square(&self) -> Expr {
        self.unary(UnaryFn::Square)
    }
    pub fn abs(&self) -> Expr {
        self.unary(UnaryFn::Abs)
    }
    pub fn inv_logit(&self) -> Expr {
        self.unary(UnaryFn::InvLogit)
    }
    pub fn log_inv_logit(&self) -> Expr {
        self.unary(UnaryFn::LogInvLogit)
    }
    pub fn log1m_inv_logit(&self) -> Expr {
        self.unary(UnaryFn::Log1mInvLogit)
    }
    pub fn softplus(&self) -> Expr {
        self.unary(UnaryFn::Softplus)
    }
    pub fn logit(&self) -> Expr {
        self.unary(UnaryFn::Logit)
    }
    pub fn pow(&self, e: impl Into<Expr>) -> Expr {
        self.binary(BinaryFn::Pow, e)
    }

    // ---- reductions and structure ----

    /// Sum of all elements (a scalar).
    pub fn sum(&self) -> Expr {
        Expr::new(Node::Sum(self.clone()), Shape::Scalar)
    }

    /// Mean of all elements (a scalar).
    pub fn mean(&self) -> Expr {
        let n = self.len().max(1) as f64;
        self.sum() / n
    }

    /// `log Σ exp(xᵢ)` (a scalar).
    pub fn log_sum_exp(&self) -> Expr {
        Expr::new(Node::LogSumExp(self.clone()), Shape::Scalar)
    }

    /// Cumulative sum (same shape).
    pub fn cumsum(&self) -> Expr {
        Expr::new(Node::CumSum(self.clone()), self.shape())
    }

    /// Element `i` (0-based, of the flattened value) as a scalar.
    pub fn at(&self, i: usize) -> Expr {
        self.gather_shaped(&[i], Shape::Scalar)
    }

    /// `self[idx]` elementwise (0-based): a vector of `idx.len()` elements.
    /// An index out of range is recorded as an error.
    pub fn gather(&self, idx: &[usize]) -> Expr {
        self.gather_shaped(idx, Shape::Vector(idx.len()))
    }

    /// Like [`Expr::gather`] with 1-based indices given as integer data, as
    /// in Stan's `theta[group]`.
    pub fn index_by(&self, idx_1based: &[i64]) -> Expr {
        let n = self.len() as i64;
        if let Some(&bad) = idx_1based.iter().find(|&&i| i < 1 || i > n) {
            let msg = format!("index {bad} out of range 1..={n}");
            let idx: Rc<[u32]> = Rc::from(vec![0u32; idx_1based.len()]);
            return Expr::with_error(Node::Gather(self.clone(), idx), Shape::Vector(idx_1based.len()), msg);
        }
        let idx: Vec<usize> = idx_1based.iter().map(|&i| (i - 1) as usize).collect();
        self.gather(&idx)
    }

    pub(crate) fn gather_shaped(&self, idx: &[usize], shape: Shape) -> Expr {
        let n = self.len();
        if let Some(&bad) = idx.iter().find(|&&i| i >= n) {
            let msg = format!("index {bad} out of range for {} (0-based)", self.shape());
            let z: Rc<[u32]> = Rc::from(vec![0u32; idx.len()]);
            return Expr::with_error(Node::Gather(self.clone(), z), shape, msg);
        }
        let idx: Rc<[u32]> = idx.iter().map(|&i| i as u32).collect();
        Expr::new(Node::Gather(self.clone(), idx), shape)
    }

    /// Same elements, another shape of the same size.
    pub fn reshape(&self, shape: Shape) -> Expr {
        if shape.len() != self.len() {
            let msg = format!("cannot reshape {} to {}", self.shape(), shape);
            return Expr::with_error(Node::Reshape(self.clone()), shape, msg);
        }
        Expr::new(Node::Reshape(self.clone()), shape)
    }

    /// Row `i` (0-based) of a matrix, as a vector.
    pub fn row(&self, i: usize) -> Expr {
        match self.shape() {
            Shape::Matrix(r, c) if i < r => {
                let idx: Vec<usize> = (0..c).map(|j| i * c + j).collect();
                self.gather(&idx)
            }
            s => Expr::with_error(Node::Reshape(self.clone()), Shape::Scalar, format!("row {i} of {s}")),
        }
    }
}

impl Node {
    pub(crate) fn for_each_child(&self, mut f: impl FnMut(&Expr)) {
        match self {
            Node::Const(_) | Node::IntConst(_) | Node::Param(_) => {}
            Node::Unary(_, a)
            | Node::Sum(a)
            | Node::LogSumExp(a)
            | Node::CumSum(a)
            | Node::Gather(a, _)
            | Node::Cholesky(a)
            | Node::Reshape(a) => f(a),
            Node::Binary(_, a, b) | Node::Dot(a, b) | Node::MatVec(a, b) => {
                f(a);
                f(b)
            }
            Node::Concat(parts) | Node::Custom(_, parts) | Node::CustomFn(_, parts) => parts.iter().for_each(f),
            Node::LogDensity(d, x) => {
                f(x);
                d.args.iter().for_each(&mut f);
            }
            Node::Select(c, a, b) => {
                f(c);
                f(a);
                f(b)
            }
        }
    }
}

/// `Σ aᵢ bᵢ` of two vectors of equal length.
pub fn dot(a: &Expr, b: &Expr) -> Expr {
    if a.len() != b.len() {
        let msg = format!("dot: lengths differ ({} and {})", a.shape(), b.shape());
        return Expr::with_error(Node::Dot(a.clone(), b.clone()), Shape::Scalar, msg);
    }
    Expr::new(Node::Dot(a.clone(), b.clone()), Shape::Scalar)
}

/// Matrix × vector.
pub fn matvec(m: &Expr, v: &Expr) -> Expr {
    match (m.shape(), v.shape()) {
        (Shape::Matrix(r, c), s) if s.len() == c && !s.is_scalar() || (c == 1 && s.is_scalar()) => {
            Expr::new(Node::MatVec(m.clone(), v.clone()), Shape::Vector(r))
        }
        (ms, vs) => {
            let msg = format!("matrix-vector product: {ms} times {vs}");
            Expr::with_error(Node::MatVec(m.clone(), v.clone()), Shape::Vector(0), msg)
        }
    }
}

/// The lower Cholesky factor `L` of a symmetric positive definite `k × k`
/// matrix `A = L Lᵀ` (Stan's `cholesky_decompose`): a `k × k` matrix with
/// zeros above the diagonal. Only the lower triangle of `A` is read. A shape
/// other than a square matrix is recorded as an error; a matrix that is not
/// positive definite at a point is a recoverable error there (the sampler
/// rejects the point).
pub fn cholesky(a: &Expr) -> Expr {
    match a.shape() {
        Shape::Matrix(r, c) if r == c => Expr::new(Node::Cholesky(a.clone()), a.shape()),
        Shape::Scalar => Expr::new(Node::Cholesky(a.clone()), Shape::Scalar),
        s => Expr::with_error(Node::Cholesky(a.clone()), s, format!("cholesky_decompose needs a square matrix, got {s}")),
    }
}

/// Concatenates the elements of the parts into a vector.
pub fn concat(parts: &[Expr]) -> Expr {
    let n = parts.iter().map(|p| p.len()).sum();
    Expr::new(Node::Concat(parts.to_vec()), Shape::Vector(n))
}

/// Stacks scalars into a vector (same as [`concat`] of scalars).
pub fn stack(parts: &[Expr]) -> Expr {
    concat(parts)
}

/// A user-supplied log-density term (value and gradient computed by `d`) of
/// the flattened values of `args`; a scalar expression, usually given to
/// [`crate::Model::factor`].
pub fn custom_density(d: std::sync::Arc<dyn crate::custom::CustomDensity>, args: &[Expr]) -> Expr {
    Expr::new(Node::Custom(crate::custom::CustomRef(d), args.to_vec()), Shape::Scalar)
}

/// `f(args)`, a vector of `f.out_len()` values computed by user code
/// (value and Jacobian; see [`crate::CustomFunction`]).
pub fn custom_function(f: std::sync::Arc<dyn crate::custom_fn::CustomFunction>, args: &[Expr]) -> Expr {
    let n = f.out_len();
    Expr::new(Node::CustomFn(crate::custom_fn::CustomFnRef(f), args.to_vec()), Shape::Vector(n))
}

/// `log_mix(theta, lp1, lp2) = log(theta e^lp1 + (1 - theta) e^lp2)`,
/// elementwise (Stan's two-component `log_mix`).
pub fn log_mix(theta: &Expr, lp1: &Expr, lp2: &Expr) -> Expr {
    (theta.log() + lp1).binary(BinaryFn::LogSumExp, theta.unary(UnaryFn::Log1m) + lp2)
}

/// `log Σₖ θₖ e^{lpₖ}` for mixing weights `θ` and component log densities
/// `lps` (vectors of equal length): Stan's `log_mix(theta, lps)`.
pub fn log_mix_vec(theta: &Expr, lps: &Expr) -> Expr {
    (theta.log() + lps).log_sum_exp()
}

/// `cond != 0 ? a : b`, elementwise with broadcasting.
pub fn select(cond: &Expr, a: &Expr, b: &Expr) -> Expr {
    let shape = cond.shape().broadcast(a.shape()).and_then(|s| s.broadcast(b.shape()));
    match shape {
        Some(s) => Expr::new(Node::Select(cond.clone(), a.clone(), b.clone()), s),
        None => Expr::with_error(
            Node::Select(cond.clone(), a.clone(), b.clone()),
            a.shape(),
            format!("select: shapes {} {} {}", cond.shape(), a.shape(), b.shape()),
        ),
    }
}

/// The log density of `dist` at `x` as a scalar expression (Stan's
/// `normal_lpdf(x | mu, sigma)`). Summed over elements.
pub fn log_density(dist: &Dist, x: &Expr) -> Expr {
    match dist.check_variate(x.shape()) {
        Ok(()) => Expr::new(Node::LogDensity(Box::new(dist.clone()), x.clone()), Shape::Scalar),
        Err(msg) => Expr::with_error(Node::LogDensity(Box::new(dist.clone()), x.clone()), Shape::Scalar, msg),
    }
}

// ---- conversions ----

impl From<f64> for Expr {
    fn from(v: f64) -> Expr {
        Expr::scalar(v)
    }
}
impl From<i32> for Expr {
    fn from(v: i32) -> Expr {
        Expr::scalar(v as f64)
    }
}
impl From<&Expr> for Expr {
    fn from(e: &Expr) -> Expr {
        e.clone()
    }
}
impl From<Vec<f64>> for Expr {
    fn from(v: Vec<f64>) -> Expr {
        Expr::vector(v)
    }
}
impl From<&[f64]> for Expr {
    fn from(v: &[f64]) -> Expr {
        Expr::vector(v.to_vec())
    }
}
impl From<&Vec<f64>> for Expr {
    fn from(v: &Vec<f64>) -> Expr {
        Expr::vector(v.clone())
    }
}

// ---- operators ----

macro_rules! binop {
    ($tr:ident, $m:ident, $f:expr) => {
        impl<R: Into<Expr>> std::ops::$tr<R> for Expr {
            type Output = Expr;
            fn $m(self, rhs: R) -> Expr {
                self.binary($f, rhs)
            }
        }
        impl<R: Into<Expr>> std::ops::$tr<R> for &Expr {
            type Output = Expr;
            fn $m(self, rhs: R) -> Expr {
                self.binary($f, rhs)
            }
        }
        impl std::ops::$tr<Expr> for f64 {
            type Output = Expr;
            fn $m(self, rhs: Expr) -> Expr {
                Expr::scalar(self).binary($f, rhs)
            }
        }
        impl std::ops::$tr<&Expr> for f64 {
            type Output = Expr;
            fn $m(self, rhs: &Expr) -> Expr {
                Expr::scalar(self).binary($f, rhs)
            }
        }
    };
}
binop!(Add, add, BinaryFn::Add);
binop!(Sub, sub, BinaryFn::Sub);
binop!(Mul, mul, BinaryFn::Mul);
binop!(Div, div, BinaryFn::Div);

impl std::ops::Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.unary(UnaryFn::Neg)
    }
}
impl std::ops::Neg for &Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.unary(UnaryFn::Neg)
    }
}
