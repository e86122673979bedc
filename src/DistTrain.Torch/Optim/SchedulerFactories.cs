using DistTrain.Torch.Optim;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Learning-rate schedulers, in PyTorch's shapes; call <c>step()</c> once per epoch (or iteration).</summary>
        public static class lr_scheduler
        {
            /// <summary>Decays each group's lr by <paramref name="gamma"/> every <paramref name="step_size"/> epochs.</summary>
            public static Optim.StepLR StepLR(Optimizer optimizer, int step_size, double gamma = 0.1, int last_epoch = -1) =>
                new(optimizer, step_size, gamma, last_epoch);

            /// <summary>Cosine annealing from each group's lr to <paramref name="eta_min"/> over <paramref name="T_max"/> epochs.</summary>
            public static Optim.CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0, int last_epoch = -1) =>
                new(optimizer, T_max, eta_min, last_epoch);

            /// <summary>Linear warm-up: lr × factor, the factor going from <paramref name="start_factor"/> to
            /// <paramref name="end_factor"/> over <paramref name="total_iters"/> steps.</summary>
            public static Optim.LinearLR LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0, int total_iters = 5, int last_epoch = -1) =>
                new(optimizer, start_factor, end_factor, total_iters, last_epoch);
        }
    }
}
