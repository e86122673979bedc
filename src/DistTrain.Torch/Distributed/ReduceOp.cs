namespace DistTrain.Torch.Distributed;

/// <summary>How a reducing collective combines the ranks' tensors (PyTorch's <c>ReduceOp</c>).</summary>
public enum ReduceOp
{
    /// <summary>Element-wise sum.</summary>
    SUM = 0,

    /// <summary>Element-wise mean (floating-point tensors). Gloo has none: a sum divided by the group size.</summary>
    AVG = 1,

    /// <summary>Element-wise product.</summary>
    PRODUCT = 2,

    /// <summary>Element-wise minimum.</summary>
    MIN = 3,

    /// <summary>Element-wise maximum.</summary>
    MAX = 4,
}

/// <summary>The communication library a process group runs on.</summary>
public enum Backend
{
    /// <summary>Gloo: CPU tensors, over TCP.</summary>
    Gloo = 0,

    /// <summary>NCCL: CUDA tensors; needs a native layer built against a CUDA libtorch.</summary>
    Nccl = 1,
}
