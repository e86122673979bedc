using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Filling this tensor in place (no autograd history on leaves that require grad: wrap in no_grad()).
    public partial class Tensor
    {
        /// <summary>Uniform random values in [<paramref name="from"/>, <paramref name="to"/>), in place.</summary>
        public Tensor uniform_(double from = 0, double to = 1) => Status(NativeMethods.dt_random_(Handle, (int)RandomOp.Uniform, from, to));
        /// <summary>Normal random values of the given mean and standard deviation, in place.</summary>
        public Tensor normal_(double mean = 0, double std = 1) => Status(NativeMethods.dt_random_(Handle, (int)RandomOp.Normal, mean, std));
        /// <summary>1 with probability <paramref name="p"/>, else 0, in place.</summary>
        public Tensor bernoulli_(double p = 0.5) => Status(NativeMethods.dt_random_(Handle, (int)RandomOp.Bernoulli, p, 0));
        /// <summary>Every element set to <paramref name="value"/>, in place.</summary>
        public Tensor fill_(Scalar value) => Status(NativeMethods.dt_fill_(Handle, value.Value));
        /// <summary>The elements of <paramref name="src"/> (broadcast, converted, moved across devices) copied into this tensor.</summary>
        public Tensor copy_(Tensor src) => Status(NativeMethods.dt_copy_(Handle, src.Handle));
    }

    /// <summary>Random-number state.</summary>
    public static class random
    {
        /// <summary>The seed of the default CPU generator (the last <see cref="manual_seed"/>, or the one chosen at start).</summary>
        public static long initial_seed() => NativeMethods.dt_initial_seed();

        /// <summary>Seeds every generator, as <see cref="torch.manual_seed"/>.</summary>
        public static void manual_seed(long seed) => torch.manual_seed(seed);
    }
}
