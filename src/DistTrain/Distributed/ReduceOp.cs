namespace DistTrain.Distributed;

/// <summary>How a reducing collective combines the ranks' tensors (PyTorch's <c>ReduceOp</c>).</summary>
public enum ReduceOp
{
    /// <summary>Element-wise sum.</summary>
    SUM = 0,

    /// <summary>Element-wise mean (floating-point tensors only).</summary>
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
    /// <summary>CPU tensors: Gloo over TCP, with a shared-memory all-reduce among ranks on one host.</summary>
    Gloo = 0,

    /// <summary>CUDA tensors: NCCL (libnccl.so.2, loaded at run time).</summary>
    Nccl = 1,
}
