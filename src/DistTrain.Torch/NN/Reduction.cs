namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces its per-element values, numbered as libtorch's at::Reduction.</summary>
        public enum Reduction
        {
            /// <summary>No reduction: the loss has the per-element (or per-sample) shape.</summary>
            None = 0,
            /// <summary>The (weighted) mean.</summary>
            Mean = 1,
            /// <summary>The sum.</summary>
            Sum = 2,
        }
    }
}
