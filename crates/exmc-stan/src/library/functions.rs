//! Builtin (non-distribution) functions with their Stan signatures.
//!
//! Each line: the [`Func`] id, the Stan name, whether exmc implements it
//! (`true` only for what the model IR in `exmc-model/src/expr.rs` has today:
//! its `UnaryFn`/`BinaryFn` kinds, reductions and constants), and the
//! signatures in the text form of [`super::sig::Sig::parse`]:
//! `T` any numeric type, `R` the first argument's type with real elements,
//! `B` elementwise broadcast, `S0`/`A0` same as / array of argument 0,
//! `reals`/`ints`/`vectors` Stan's vectorised classes; a signature starting
//! with `-` is not implemented even when the function is.
//! The lowering dispatches on [`Func`] and flips the flag when it adds one.

macro_rules! functions {
    ($($id:ident $name:literal $sup:literal [$($sig:literal),* $(,)?];)*) => {
        /// Identifier of a builtin function (lowering dispatches on it).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Func { $($id),* }
        /// `(id, name, supported, signatures)` for every builtin function.
        pub(crate) const FUNCTIONS: &[(Func, &str, bool, &[&str])] = &[$((Func::$id, $name, $sup, &[$($sig),*])),*];
    };
}

functions! {
    // ---- constants
    Pi "pi" true ["real()"];
    E "e" true ["real()"];
    Sqrt2 "sqrt2" true ["real()"];
    NotANumber "not_a_number" true ["real()"];
    PositiveInfinity "positive_infinity" true ["real()"];
    NegativeInfinity "negative_infinity" true ["real()"];
    MachinePrecision "machine_precision" true ["real()"];
    // ---- elementwise (vectorised) unary functions
    Log "log" true ["R(T)"];
    Exp "exp" true ["R(T)"];
    Log1p "log1p" true ["R(T)"];
    Expm1 "expm1" true ["R(T)"];
    Log1m "log1m" true ["R(T)"];
    Log1mExp "log1m_exp" true ["R(T)"];
    Log1pExp "log1p_exp" true ["R(T)"];
    Lgamma "lgamma" true ["R(T)"];
    Tgamma "tgamma" false ["R(T)"];
    Digamma "digamma" true ["R(T)"];
    Trigamma "trigamma" true ["R(T)"];
    InvLogit "inv_logit" true ["R(T)"];
    Logit "logit" true ["R(T)"];
    LogInvLogit "log_inv_logit" true ["R(T)"];
    Log1mInvLogit "log1m_inv_logit" true ["R(T)"];
    InvCloglog "inv_cloglog" false ["R(T)"];
    Phi "Phi" true ["R(T)"];
    PhiApprox "Phi_approx" false ["R(T)"];
    InvPhi "inv_Phi" true ["R(T)"];
    Erf "erf" true ["R(T)"];
    Erfc "erfc" true ["R(T)"];
    Sqrt "sqrt" true ["R(T)"];
    Cbrt "cbrt" true ["R(T)"];
    Square "square" true ["R(T)"];
    Inv "inv" true ["R(T)"];
    InvSqrt "inv_sqrt" true ["R(T)"];
    InvSquare "inv_square" false ["R(T)"];
    Log2 "log2" true ["real()", "R(T)"];
    Log10 "log10" true ["real()", "R(T)"];
    Exp2 "exp2" true ["R(T)"];
    Sin "sin" true ["R(T)"];
    Cos "cos" true ["R(T)"];
    Tan "tan" true ["R(T)"];
    Asin "asin" true ["R(T)"];
    Acos "acos" true ["R(T)"];
    Atan "atan" true ["R(T)"];
    Sinh "sinh" true ["R(T)"];
    Cosh "cosh" true ["R(T)"];
    Tanh "tanh" true ["R(T)"];
    Asinh "asinh" true ["R(T)"];
    Acosh "acosh" true ["R(T)"];
    Atanh "atanh" true ["R(T)"];
    Floor "floor" true ["R(T)"];
    Ceil "ceil" true ["R(T)"];
    Round "round" true ["R(T)"];
    Trunc "trunc" true ["R(T)"];
    Fabs "fabs" true ["R(T)"];
    Abs "abs" true ["int(int)", "S0(array[] int)", "R(T)"];
    Step "step" true ["real(real)"];
    IntStep "int_step" false ["int(int)", "int(real)"];
    IsInf "is_inf" false ["int(real)"];
    IsNan "is_nan" false ["int(real)"];
    ToInt "to_int" false ["int(real)", "array[] int(array[] real)", "-array[,] int(array[,] real)", "-array[,,] int(array[,,] real)"];
    // ---- elementwise binary functions
    Pow "pow" true ["B(T, T)"];
    Fmin "fmin" true ["B(T, T)"];
    Fmax "fmax" true ["B(T, T)"];
    Fdim "fdim" false ["B(T, T)"];
    Fmod "fmod" true ["B(T, T)"];
    Hypot "hypot" true ["B(T, T)"];
    Atan2 "atan2" true ["B(T, T)"];
    Lbeta "lbeta" true ["B(T, T)"];
    Beta "beta" true ["B(T, T)"];
    Lchoose "lchoose" false ["B(T, T)"];
    Choose "choose" false ["int(int, int)", "array[] int(ints, ints)"];
    LogDiffExp "log_diff_exp" true ["B(T, T)"];
    MultiplyLog "multiply_log" true ["B(T, T)"];
    Lmultiply "lmultiply" true ["B(T, T)"];
    BinaryLogLoss "binary_log_loss" false ["B(int, T)", "B(array[] int, T)", "B(array[,] int, T)", "B(array[,,] int, T)"];
    IncBeta "inc_beta" false ["real(real, real, real)"];
    GammaP "gamma_p" true ["B(T, T)"];
    GammaQ "gamma_q" true ["B(T, T)"];
    LogFallingFactorial "log_falling_factorial" false ["B(T, T)"];
    LogRisingFactorial "log_rising_factorial" false ["B(T, T)"];
    BinomialCoefficientLog "binomial_coefficient_log" false ["B(T, T)"];
    FallingFactorial "falling_factorial" false ["real(real, int)", "int(int, int)"];
    RisingFactorial "rising_factorial" false ["real(real, int)", "int(int, int)"];
    Lmgamma "lmgamma" false ["real(int, real)"];
    OwensT "owens_t" true ["B(T, T)"];
    BesselFirstKind "bessel_first_kind" false ["real(int, real)"];
    BesselSecondKind "bessel_second_kind" false ["real(int, real)"];
    ModifiedBesselFirstKind "modified_bessel_first_kind" false ["real(int, real)"];
    ModifiedBesselSecondKind "modified_bessel_second_kind" false ["real(int, real)"];
    LogModifiedBesselFirstKind "log_modified_bessel_first_kind" false ["B(T, T)"];
    LogInvLogitDiff "log_inv_logit_diff" false ["B(T, T)"];
    StdNormalLogQf "std_normal_log_qf" false ["R(T)"];
    StdNormalQf "std_normal_qf" false ["R(T)"];
    InvErfc "inv_erfc" false ["R(T)"];
    // Wiener first-passage-time CDFs (Stan 2.37): (y, a, t0, w, v[, sv, sw, st0][, precision])
    WienerLcdfUnnorm "wiener_lcdf_unnorm" false ["real(reals, reals, reals, reals, reals)", "real(reals, reals, reals, reals, reals, reals)"];
    WienerLccdfUnnorm "wiener_lccdf_unnorm" false ["real(reals, reals, reals, reals, reals)", "real(reals, reals, reals, reals, reals, reals)"];
    WienerLcdfDefective "wiener_lcdf_defective" false ["real(reals, reals, reals, reals, reals, reals, reals, reals)", "real(reals, reals, reals, reals, reals, reals, reals, reals, reals)"];
    WienerLccdfDefective "wiener_lccdf_defective" false ["real(reals, reals, reals, reals, reals, reals, reals, reals)", "real(reals, reals, reals, reals, reals, reals, reals, reals, reals)"];
    Ldexp "ldexp" false ["R(T, int)"];
    Hypergeometric1F0 "hypergeometric_1F0" false ["real(real, real)"];
    Hypergeometric2F1 "hypergeometric_2F1" false ["real(real, real, real, real)"];
    Hypergeometric3F2 "hypergeometric_3F2" false ["real(vector, vector, real)", "real(vector, row_vector, real)", "real(vector, array[] real, real)", "real(row_vector, vector, real)", "real(row_vector, row_vector, real)", "real(row_vector, array[] real, real)", "real(array[] real, vector, real)", "real(array[] real, row_vector, real)", "real(array[] real, array[] real, real)"];
    HypergeometricPFq "hypergeometric_pFq" false ["real(vector, vector, real)", "real(vector, row_vector, real)", "real(vector, array[] real, real)", "real(row_vector, vector, real)", "real(row_vector, row_vector, real)", "real(row_vector, array[] real, real)", "real(array[] real, vector, real)", "real(array[] real, row_vector, real)", "real(array[] real, array[] real, real)"];
    InvIncBeta "inv_inc_beta" false ["real(real, real, real)"];
    LambertW0 "lambert_w0" false ["R(T)"];
    LambertWm1 "lambert_wm1" false ["R(T)"];
    Fma "fma" false ["real(real, real, real)"];
    LogMix "log_mix" false ["real(real, real, real)", "real(vector, vector)", "real(vector, row_vector)", "real(vector, array[] real)", "-real(vector, array[] vector)", "-real(vector, array[] row_vector)", "real(row_vector, vector)", "real(row_vector, row_vector)", "real(row_vector, array[] real)", "-real(row_vector, array[] vector)", "-real(row_vector, array[] row_vector)", "real(array[] real, vector)", "real(array[] real, row_vector)", "real(array[] real, array[] real)", "-real(array[] real, array[] vector)", "-real(array[] real, array[] row_vector)"];
    IfElse "if_else" false ["real(int, real, real)"];
    // ---- reductions
    LogSumExp "log_sum_exp" true ["real(real, real)", "real(vector)", "real(row_vector)", "-real(matrix)", "real(array[] real)"];
    Sum "sum" true ["int(int)", "real(real)", "int(array[] int)", "real(array[] real)", "real(vector)", "real(row_vector)", "real(matrix)"];
    Prod "prod" false ["int(array[] int)", "real(array[] real)", "real(vector)", "real(row_vector)", "real(matrix)"];
    Mean "mean" true ["real(array[] real)", "real(vector)", "real(row_vector)", "real(matrix)"];
    Variance "variance" false ["real(array[] real)", "real(vector)", "real(row_vector)", "real(matrix)"];
    Sd "sd" false ["real(array[] real)", "real(vector)", "real(row_vector)", "real(matrix)"];
    Min "min" false ["int(int, int)", "real(real, real)", "int(array[] int)", "real(array[] real)", "real(vector)", "real(row_vector)", "real(matrix)"];
    Max "max" false ["int(int, int)", "real(real, real)", "int(array[] int)", "real(array[] real)", "real(vector)", "real(row_vector)", "real(matrix)"];
    CumulativeSum "cumulative_sum" true ["array[] int(array[] int)", "array[] real(array[] real)", "vector(vector)", "row_vector(row_vector)"];
    Norm1 "norm1" false ["real(vector)", "real(row_vector)", "real(array[] real)"];
    Norm2 "norm2" false ["real(vector)", "real(row_vector)", "real(array[] real)"];
    // ---- sizes and shapes
    Dims "dims" false ["array[] int(any)"];
    NumElements "num_elements" false ["int(any)"];
    Size "size" false ["int(any)"];
    Rows "rows" false ["int(vector)", "int(row_vector)", "int(matrix)"];
    Cols "cols" false ["int(vector)", "int(row_vector)", "int(matrix)"];
    // ---- constructors
    RepVector "rep_vector" false ["vector(real, int)"];
    RepRowVector "rep_row_vector" false ["row_vector(real, int)"];
    RepArray "rep_array" false ["A0(any, int)", "AA0(any, int, int)", "AAA0(any, int, int, int)"];
    RepMatrix "rep_matrix" false ["matrix(real, int, int)", "matrix(vector, int)", "matrix(row_vector, int)"];
    ToVector "to_vector" false ["vector(vector)", "vector(row_vector)", "vector(matrix)", "vector(array[] real)"];
    ToRowVector "to_row_vector" false ["row_vector(vector)", "row_vector(row_vector)", "row_vector(matrix)", "row_vector(array[] real)"];
    ToMatrix "to_matrix" false ["matrix(matrix)", "matrix(vector)", "matrix(row_vector)", "matrix(matrix, int, int)", "matrix(vector, int, int)", "matrix(row_vector, int, int)", "matrix(array[] real, int, int)", "matrix(array[,] real)", "matrix(array[] row_vector)", "-matrix(matrix, int, int, int)", "-matrix(vector, int, int, int)", "-matrix(row_vector, int, int, int)", "-matrix(array[] real, int, int, int)"];
    ToArray1d "to_array_1d" false ["array[] real(vector)", "array[] real(row_vector)", "array[] real(matrix)", "array[] int(array[] int)", "array[] int(array[,] int)", "array[] int(array[,,] int)", "array[] real(array[] real)", "array[] real(array[,] real)", "array[] real(array[,,] real)"];
    ToArray2d "to_array_2d" false ["array[,] real(matrix)"];
    AppendRow "append_row" false ["matrix(matrix, matrix)", "matrix(matrix, row_vector)", "matrix(row_vector, matrix)", "matrix(row_vector, row_vector)", "vector(vector, vector)", "vector(real, vector)", "vector(vector, real)"];
    AppendCol "append_col" false ["matrix(matrix, matrix)", "matrix(vector, matrix)", "matrix(matrix, vector)", "matrix(vector, vector)", "row_vector(row_vector, row_vector)", "row_vector(real, row_vector)", "row_vector(row_vector, real)"];
    AppendArray "append_array" false ["S0(any[], =0)"];
    Head "head" false ["vector(vector, int)", "row_vector(row_vector, int)", "S0(any[], int)"];
    Tail "tail" false ["vector(vector, int)", "row_vector(row_vector, int)", "S0(any[], int)"];
    Segment "segment" false ["vector(vector, int, int)", "row_vector(row_vector, int, int)", "S0(any[], int, int)"];
    Reverse "reverse" false ["vector(vector)", "row_vector(row_vector)", "S0(any[])"];
    SortAsc "sort_asc" false ["vector(vector)", "row_vector(row_vector)", "array[] int(array[] int)", "array[] real(array[] real)"];
    SortDesc "sort_desc" false ["vector(vector)", "row_vector(row_vector)", "array[] int(array[] int)", "array[] real(array[] real)"];
    SortIndicesAsc "sort_indices_asc" false ["array[] int(vector)", "array[] int(row_vector)", "array[] int(array[] real)"];
    SortIndicesDesc "sort_indices_desc" false ["array[] int(vector)", "array[] int(row_vector)", "array[] int(array[] real)"];
    Rank "rank" false ["int(vector, int)", "int(row_vector, int)", "int(array[] real, int)"];
    DiagMatrix "diag_matrix" false ["matrix(vector)"];
    Diagonal "diagonal" false ["vector(matrix)"];
    LinspacedVector "linspaced_vector" false ["vector(int, real, real)"];
    LinspacedRowVector "linspaced_row_vector" false ["row_vector(int, real, real)"];
    LinspacedArray "linspaced_array" false ["array[] real(int, real, real)"];
    LinspacedIntArray "linspaced_int_array" false ["array[] int(int, int, int)"];
    OneHotVector "one_hot_vector" false ["vector(int, int)"];
    OneHotRowVector "one_hot_row_vector" false ["row_vector(int, int)"];
    OneHotArray "one_hot_array" false ["array[] real(int, int)"];
    OneHotIntArray "one_hot_int_array" false ["array[] int(int, int)"];
    ZerosVector "zeros_vector" false ["vector(int)"];
    OnesVector "ones_vector" false ["vector(int)"];
    ZerosRowVector "zeros_row_vector" false ["row_vector(int)"];
    OnesRowVector "ones_row_vector" false ["row_vector(int)"];
    ZerosArray "zeros_array" false ["array[] real(int)"];
    OnesArray "ones_array" false ["array[] real(int)"];
    ZerosIntArray "zeros_int_array" false ["array[] int(int)"];
    OnesIntArray "ones_int_array" false ["array[] int(int)"];
    UniformSimplex "uniform_simplex" false ["vector(int)"];
    IdentityMatrix "identity_matrix" false ["matrix(int)"];
    Block "block" false ["matrix(matrix, int, int, int, int)"];
    Col "col" false ["vector(matrix, int)"];
    Row "row" false ["row_vector(matrix, int)"];
    SubCol "sub_col" false ["vector(matrix, int, int, int)"];
    SubRow "sub_row" false ["row_vector(matrix, int, int, int)"];
    // ---- linear algebra
    DotProduct "dot_product" true ["real(vector, vector)", "real(vector, row_vector)", "real(row_vector, vector)", "real(row_vector, row_vector)", "real(array[] real, array[] real)"];
    ColumnsDotProduct "columns_dot_product" false ["row_vector(vector, vector)", "row_vector(row_vector, row_vector)", "row_vector(matrix, matrix)"];
    RowsDotProduct "rows_dot_product" false ["vector(vector, vector)", "vector(row_vector, row_vector)", "vector(matrix, matrix)"];
    DotSelf "dot_self" false ["real(vector)", "real(row_vector)"];
    ColumnsDotSelf "columns_dot_self" false ["row_vector(vector)", "row_vector(row_vector)", "row_vector(matrix)"];
    RowsDotSelf "rows_dot_self" false ["vector(vector)", "vector(row_vector)", "vector(matrix)"];
    SquaredDistance "squared_distance" false ["real(vector, vector)", "real(row_vector, row_vector)", "real(vector, row_vector)", "real(row_vector, vector)"];
    Distance "distance" false ["real(vector, vector)", "real(row_vector, row_vector)", "real(vector, row_vector)", "real(row_vector, vector)"];
    QuadForm "quad_form" false ["real(matrix, vector)", "matrix(matrix, matrix)"];
    QuadFormDiag "quad_form_diag" false ["matrix(matrix, vector)", "matrix(matrix, row_vector)"];
    QuadFormSym "quad_form_sym" false ["real(matrix, vector)", "matrix(matrix, matrix)"];
    TraceQuadForm "trace_quad_form" false ["real(matrix, matrix)"];
    MultiplyLowerTriSelfTranspose "multiply_lower_tri_self_transpose" false ["matrix(matrix)"];
    DiagPreMultiply "diag_pre_multiply" false ["matrix(vector, matrix)", "matrix(row_vector, matrix)"];
    DiagPostMultiply "diag_post_multiply" false ["matrix(matrix, vector)", "matrix(matrix, row_vector)"];
    CholeskyDecompose "cholesky_decompose" false ["matrix(matrix)"];
    MdivideLeftTriLow "mdivide_left_tri_low" false ["vector(matrix, vector)", "matrix(matrix, matrix)"];
    MdivideRightTriLow "mdivide_right_tri_low" false ["row_vector(row_vector, matrix)", "matrix(matrix, matrix)"];
    MdivideLeftSpd "mdivide_left_spd" false ["vector(matrix, vector)", "matrix(matrix, matrix)"];
    MdivideRightSpd "mdivide_right_spd" false ["row_vector(row_vector, matrix)", "matrix(matrix, matrix)"];
    MdivideLeft "mdivide_left" false ["vector(matrix, vector)", "matrix(matrix, matrix)"];
    MdivideRight "mdivide_right" false ["row_vector(row_vector, matrix)", "matrix(matrix, matrix)"];
    LogDeterminant "log_determinant" false ["real(matrix)"];
    LogDeterminantSpd "log_determinant_spd" false ["real(matrix)"];
    Determinant "determinant" false ["real(matrix)"];
    Inverse "inverse" false ["matrix(matrix)"];
    InverseSpd "inverse_spd" false ["matrix(matrix)"];
    Tcrossprod "tcrossprod" false ["matrix(matrix)"];
    Crossprod "crossprod" false ["matrix(matrix)"];
    Softmax "softmax" false ["vector(vector)"];
    LogSoftmax "log_softmax" false ["vector(vector)", "-row_vector(row_vector)", "-array[] vector(array[] vector)", "-array[] row_vector(array[] row_vector)"];
    AddDiag "add_diag" false ["matrix(matrix, real)", "matrix(matrix, vector)", "matrix(matrix, row_vector)"];
    Trace "trace" false ["real(matrix)"];
    EigenvaluesSym "eigenvalues_sym" false ["vector(matrix)"];
    EigenvectorsSym "eigenvectors_sym" false ["matrix(matrix)"];
    SingularValues "singular_values" false ["vector(matrix)"];
    SvdU "svd_U" false ["matrix(matrix)"];
    SvdV "svd_V" false ["matrix(matrix)"];
    Chol2inv "chol2inv" false ["matrix(matrix)"];
    MatrixExp "matrix_exp" false ["matrix(matrix)"];
    MatrixPower "matrix_power" false ["matrix(matrix, int)"];
    Symmetrize "symmetrize_from_lower_tri" false ["matrix(matrix)"];
    CsrMatrixTimesVector "csr_matrix_times_vector" false ["vector(int, int, vector, array[] int, array[] int, vector)"];
    CsrToDenseMatrix "csr_to_dense_matrix" false ["matrix(int, int, vector, array[] int, array[] int)"];
    CsrExtractW "csr_extract_w" false ["vector(matrix)"];
    CsrExtractV "csr_extract_v" false ["array[] int(matrix)"];
    CsrExtractU "csr_extract_u" false ["array[] int(matrix)"];
    QrThinQ "qr_thin_Q" false ["matrix(matrix)"];
    QrThinR "qr_thin_R" false ["matrix(matrix)"];
    QrQ "qr_Q" false ["matrix(matrix)"];
    QrR "qr_R" false ["matrix(matrix)"];
    GeneralizedInverse "generalized_inverse" false ["matrix(matrix)"];
    TraceGenQuadForm "trace_gen_quad_form" false ["real(matrix, matrix, matrix)"];
    MatrixExpMultiply "matrix_exp_multiply" false ["matrix(matrix, matrix)"];
    ScaleMatrixExpMultiply "scale_matrix_exp_multiply" false ["matrix(real, matrix, matrix)"];
    Quantile "quantile" false ["real(array[] real, real)", "real(vector, real)", "real(row_vector, real)", "array[] real(array[] real, array[] real)", "array[] real(vector, array[] real)", "array[] real(row_vector, array[] real)", "vector(vector, vector)"];

    // ---- Gaussian-process covariance functions
    GpExpQuadCov "gp_exp_quad_cov" false ["matrix(array[] real, real, real)", "matrix(array[] real, array[] real, real, real)", "matrix(array[] vector, real, real)", "matrix(array[] vector, array[] vector, real, real)", "matrix(array[] vector, real, array[] real)", "matrix(array[] vector, array[] vector, real, array[] real)"];
    GpMatern32Cov "gp_matern32_cov" false ["matrix(array[] real, real, real)", "matrix(array[] real, array[] real, real, real)", "matrix(array[] vector, real, real)", "matrix(array[] vector, array[] vector, real, real)", "matrix(array[] vector, real, array[] real)", "matrix(array[] vector, array[] vector, real, array[] real)"];
    GpMatern52Cov "gp_matern52_cov" false ["matrix(array[] real, real, real)", "matrix(array[] real, array[] real, real, real)", "matrix(array[] vector, real, real)", "matrix(array[] vector, array[] vector, real, real)", "matrix(array[] vector, real, array[] real)", "matrix(array[] vector, array[] vector, real, array[] real)"];
    GpExponentialCov "gp_exponential_cov" false ["matrix(array[] real, real, real)", "matrix(array[] real, array[] real, real, real)", "matrix(array[] vector, real, real)", "matrix(array[] vector, array[] vector, real, real)", "matrix(array[] vector, real, array[] real)", "matrix(array[] vector, array[] vector, real, array[] real)"];
    GpPeriodicCov "gp_periodic_cov" false ["matrix(array[] real, real, real, real)", "matrix(array[] real, array[] real, real, real, real)", "matrix(array[] vector, real, real, real)", "matrix(array[] vector, array[] vector, real, real, real)"];
    GpDotProdCov "gp_dot_prod_cov" false ["matrix(array[] real, real)", "matrix(array[] real, array[] real, real)", "matrix(array[] vector, real)", "matrix(array[] vector, array[] vector, real)"];
    // ---- constraint transforms (`_jacobian` also increments the Jacobian)
    SumToZeroConstrain "sum_to_zero_constrain" false ["vector(vector)", "matrix(matrix)"];
    SumToZeroJacobian "sum_to_zero_jacobian" false ["vector(vector)", "matrix(matrix)"];
    SumToZeroUnconstrain "sum_to_zero_unconstrain" false ["vector(vector)", "matrix(matrix)"];
    SimplexConstrain "simplex_constrain" false ["vector(vector)"];
    SimplexJacobian "simplex_jacobian" false ["vector(vector)"];
    SimplexUnconstrain "simplex_unconstrain" false ["vector(vector)"];
    OrderedConstrain "ordered_constrain" false ["vector(vector)"];
    OrderedJacobian "ordered_jacobian" false ["vector(vector)"];
    OrderedUnconstrain "ordered_unconstrain" false ["vector(vector)"];
    PositiveOrderedConstrain "positive_ordered_constrain" false ["vector(vector)"];
    PositiveOrderedJacobian "positive_ordered_jacobian" false ["vector(vector)"];
    PositiveOrderedUnconstrain "positive_ordered_unconstrain" false ["vector(vector)"];
    LowerBoundConstrain "lower_bound_constrain" false ["B(T, T)"];
    LowerBoundJacobian "lower_bound_jacobian" false ["B(T, T)"];
    LowerBoundUnconstrain "lower_bound_unconstrain" false ["B(T, T)"];
    UpperBoundConstrain "upper_bound_constrain" false ["B(T, T)"];
    UpperBoundJacobian "upper_bound_jacobian" false ["B(T, T)"];
    UpperBoundUnconstrain "upper_bound_unconstrain" false ["B(T, T)"];
    LowerUpperBoundConstrain "lower_upper_bound_constrain" false ["R0(T, T, T)"];
    LowerUpperBoundJacobian "lower_upper_bound_jacobian" false ["R0(T, T, T)"];
    LowerUpperBoundUnconstrain "lower_upper_bound_unconstrain" false ["R0(T, T, T)"];
    OffsetMultiplierConstrain "offset_multiplier_constrain" false ["R0(T, T, T)"];
    OffsetMultiplierJacobian "offset_multiplier_jacobian" false ["R0(T, T, T)"];
    OffsetMultiplierUnconstrain "offset_multiplier_unconstrain" false ["R0(T, T, T)"];
    CholeskyFactorCorrConstrain "cholesky_factor_corr_constrain" false ["matrix(vector, int)"];
    CholeskyFactorCorrJacobian "cholesky_factor_corr_jacobian" false ["matrix(vector, int)"];
    CholeskyFactorCorrUnconstrain "cholesky_factor_corr_unconstrain" false ["vector(matrix)"];
    CholeskyFactorCovConstrain "cholesky_factor_cov_constrain" false ["matrix(vector, int, int)"];
    CholeskyFactorCovJacobian "cholesky_factor_cov_jacobian" false ["matrix(vector, int, int)"];
    CholeskyFactorCovUnconstrain "cholesky_factor_cov_unconstrain" false ["vector(matrix)"];
    CorrMatrixConstrain "corr_matrix_constrain" false ["matrix(vector, int)"];
    CorrMatrixJacobian "corr_matrix_jacobian" false ["matrix(vector, int)"];
    CorrMatrixUnconstrain "corr_matrix_unconstrain" false ["vector(matrix)"];
    CovMatrixConstrain "cov_matrix_constrain" false ["matrix(vector, int)"];
    CovMatrixJacobian "cov_matrix_jacobian" false ["matrix(vector, int)"];
    CovMatrixUnconstrain "cov_matrix_unconstrain" false ["vector(matrix)"];
    StochasticColumnConstrain "stochastic_column_constrain" false ["matrix(matrix)"];
    StochasticColumnJacobian "stochastic_column_jacobian" false ["matrix(matrix)"];
    StochasticColumnUnconstrain "stochastic_column_unconstrain" false ["matrix(matrix)"];
    StochasticRowConstrain "stochastic_row_constrain" false ["matrix(matrix)"];
    StochasticRowJacobian "stochastic_row_jacobian" false ["matrix(matrix)"];
    StochasticRowUnconstrain "stochastic_row_unconstrain" false ["matrix(matrix)"];
    // ---- hidden Markov models
    HmmMarginal "hmm_marginal" false ["real(matrix, matrix, vector)"];
    HmmHiddenStateProb "hmm_hidden_state_prob" false ["matrix(matrix, matrix, vector)"];
    HmmLatentRng "hmm_latent_rng" false ["array[] int(matrix, matrix, vector)"];
    // ---- higher-order functions (a user function as first argument); typed
    // by the checker (`check::higher_order`), no table signatures
    OdeRk45 "ode_rk45" false [];
    OdeRk45Tol "ode_rk45_tol" false [];
    OdeBdf "ode_bdf" false [];
    OdeBdfTol "ode_bdf_tol" false [];
    OdeAdams "ode_adams" false [];
    OdeAdamsTol "ode_adams_tol" false [];
    OdeCkrk "ode_ckrk" false [];
    OdeCkrkTol "ode_ckrk_tol" false [];
    IntegrateOdeRk45 "integrate_ode_rk45" false [];
    IntegrateOdeBdf "integrate_ode_bdf" false [];
    IntegrateOdeAdams "integrate_ode_adams" false [];
    ReduceSum "reduce_sum" false [];
    ReduceSumStatic "reduce_sum_static" false [];
    MapRect "map_rect" false [];
    AlgebraSolver "algebra_solver" false [];
    AlgebraSolverNewton "algebra_solver_newton" false [];
    SolveNewton "solve_newton" false [];
    SolvePowell "solve_powell" false [];
    CovExpQuad "cov_exp_quad" false ["matrix(array[] real, real, real)", "matrix(array[] real, array[] real, real, real)", "matrix(array[] vector, real, real)", "matrix(array[] vector, array[] vector, real, real)"];
}

/// How a higher-order builtin is typed (its first argument names a user function).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HigherOrder {
    /// `ode_*(f, vector y0, real t0, array[] real ts, ...)` (with `tol`:
    /// `real rel_tol, real abs_tol, int max_steps` before the variadic
    /// arguments) → `array[] vector`; `vector f(real t, vector y, ...)`.
    Ode { tol: bool },
    /// `integrate_ode_*(f, array[] real y0, real t0, array[] real ts,
    /// array[] real theta, array[] real x_r, array[] int x_i
    /// [, real, real, int])` → `array[,] real`.
    IntegrateOde,
    /// `reduce_sum(f, array[] T x, int grainsize, ...)` → `real`;
    /// `real f(array[] T slice, int start, int end, ...)`.
    ReduceSum,
    /// `map_rect(f, vector phi, array[] vector thetas, data array[,] real x_r,
    /// data array[,] int x_i)` → `vector`;
    /// `vector f(vector phi, vector theta, data array[] real x_r, data array[] int x_i)`.
    MapRect,
    /// `algebra_solver(f, vector y, vector theta, array[] real x_r, array[] int x_i
    /// [, real, real, int])` → `vector`.
    AlgebraSolver,
    /// `solve_newton(f, vector guess, ...)` → `vector`; `vector f(vector, ...)`.
    Solve,
}

/// The higher-order kind of a builtin name, if it is one.
pub fn higher_order(name: &str) -> Option<HigherOrder> {
    Some(match name {
        "ode_rk45" | "ode_bdf" | "ode_adams" | "ode_ckrk" => HigherOrder::Ode { tol: false },
        "ode_rk45_tol" | "ode_bdf_tol" | "ode_adams_tol" | "ode_ckrk_tol" => HigherOrder::Ode { tol: true },
        "integrate_ode_rk45" | "integrate_ode_bdf" | "integrate_ode_adams" => HigherOrder::IntegrateOde,
        "reduce_sum" | "reduce_sum_static" => HigherOrder::ReduceSum,
        "map_rect" => HigherOrder::MapRect,
        "algebra_solver" | "algebra_solver_newton" => HigherOrder::AlgebraSolver,
        "solve_newton" | "solve_powell" => HigherOrder::Solve,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::sig::Sig;

    #[test]
    fn every_signature_parses_and_names_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for (_, name, _, sigs) in FUNCTIONS {
            assert!(seen.insert(*name), "duplicate {name}");
            assert_eq!(sigs.is_empty(), higher_order(name).is_some(), "{name}");
            for s in *sigs {
                assert!(Sig::parse(s).is_some(), "{name}: bad signature {s}");
            }
        }
        assert!(FUNCTIONS.len() > 150, "{}", FUNCTIONS.len());
    }
}
