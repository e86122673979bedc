namespace DistTrain.Torch.Native;

// Operation codes of the native families, mirroring the enums in disttrain_native.h ("tensor ops").

internal enum UnaryOp
{
    Exp = 0, Log = 1, Log1p = 2, Sqrt = 3, Rsqrt = 4, Abs = 5, Sign = 6, Sin = 7, Cos = 8, Tanh = 9, Sigmoid = 10,
    Relu = 11, Floor = 12, Ceil = 13, Round = 14, Reciprocal = 15, Square = 16, Neg = 17, LogicalNot = 18,
    BitwiseNot = 19, Expm1 = 20, Trunc = 21, Log2 = 22, Log10 = 23, Tan = 24, Erf = 25, Zero = 26,
    IsNan = 40, IsInf = 41, IsFinite = 42, T = 43, SqueezeAll = 44, Nonzero = 45, FlattenAll = 46,
}

internal enum BinaryOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Remainder = 4, Pow = 5, FloorDivide = 6, Fmod = 7,
    Eq = 8, Ne = 9, Lt = 10, Le = 11, Gt = 12, Ge = 13, LogicalAnd = 14, LogicalOr = 15, LogicalXor = 16,
    BitwiseAnd = 17, BitwiseOr = 18, BitwiseXor = 19, Maximum = 20, Minimum = 21, Atan2 = 22,
    Mm = 30, Bmm = 31, Dot = 32, Outer = 33, ExpandAs = 34,
}

internal enum ReduceOp
{
    Sum = 0, Mean = 1, Prod = 2, Amax = 3, Amin = 4, Std = 5, Var = 6, Norm = 7, All = 8, Any = 9, LogSumExp = 10,
    CountNonzero = 11,
}

internal enum DimOp { Softmax = 0, LogSoftmax = 1, Cumsum = 2, Cumprod = 3, Squeeze = 4, Unsqueeze = 5 }

internal enum ShapeOp { Reshape = 0, View = 1, Permute = 2, Expand = 3, Repeat = 4, Flip = 5 }

internal enum SplitOp { Size = 0, Sizes = 1, Chunk = 2, Unbind = 3 }

internal enum IndexKind { Int = 0, Slice = 1, Ellipsis = 2, None = 3, Tensor = 4, Bool = 5 }

internal enum LikeOp { Empty = 0, Zeros = 1, Ones = 2, Full = 3, Rand = 4, Randn = 5 }

internal enum RandomOp { Uniform = 0, Normal = 1, Bernoulli = 2 }
