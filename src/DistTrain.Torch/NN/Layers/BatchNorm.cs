using DistTrain.Torch.Native;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// Batch normalisation over dimension 1 (channels): y = (x − mean) / √(var + eps) · weight + bias.
    /// In training it normalises with the batch's statistics and updates the running ones
    /// (running = (1 − momentum) · running + momentum · batch, unbiased variance; momentum null means a
    /// cumulative average); in evaluation it uses the running statistics. State, as PyTorch names it:
    /// weight, bias (num_features; 1 and 0), running_mean, running_var (0 and 1), num_batches_tracked.
    /// </summary>
    public abstract class BatchNorm : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Parameter? _weight, _bias;
        private readonly Tensor? _running_mean, _running_var, _num_batches_tracked;

        private protected BatchNorm(string name, long num_features, double eps, double? momentum, bool affine, bool track_running_stats,
            Device? device, ScalarType? dtype) : base(name)
        {
            this.num_features = num_features;
            this.eps = eps;
            this.momentum = momentum;
            this.affine = affine;
            this.track_running_stats = track_running_stats;
            if (affine)
            {
                _weight = nn.Parameter.Empty([num_features], dtype, device);
                _bias = nn.Parameter.Empty([num_features], dtype, device);
                register_parameter("weight", _weight);
                register_parameter("bias", _bias);
            }
            if (track_running_stats)
            {
                _running_mean = zeros([num_features], dtype, device);
                _running_var = ones([num_features], dtype, device);
                _num_batches_tracked = zeros([], ScalarType.Int64, device);
                register_buffer("running_mean", _running_mean);
                register_buffer("running_var", _running_var);
                register_buffer("num_batches_tracked", _num_batches_tracked);
            }
            reset_parameters();
        }

        /// <summary>Number of channels (C).</summary>
        public long num_features { get; }
        /// <summary>Added to the variance for numerical stability.</summary>
        public double eps { get; }
        /// <summary>Weight of the batch statistics in the running ones; null for a cumulative average.</summary>
        public double? momentum { get; }
        /// <summary>Whether the layer has a learnable weight and bias.</summary>
        public bool affine { get; }
        /// <summary>Whether the layer keeps running statistics (and uses them in evaluation).</summary>
        public bool track_running_stats { get; }

        /// <summary>The scale (num_features), or null without affine.</summary>
        public nn.Parameter? weight => _weight;
        /// <summary>The shift (num_features), or null without affine.</summary>
        public nn.Parameter? bias => _bias;
        /// <summary>Running mean (num_features), or null.</summary>
        public Tensor? running_mean => _running_mean;
        /// <summary>Running variance (num_features), or null.</summary>
        public Tensor? running_var => _running_var;
        /// <summary>Number of training batches seen (int64 scalar), or null.</summary>
        public Tensor? num_batches_tracked => _num_batches_tracked;

        /// <summary>Resets the running statistics (mean 0, variance 1, count 0).</summary>
        public void reset_running_stats()
        {
            if (!track_running_stats) return;
            nn.init.zeros_(_running_mean!);
            nn.init.ones_(_running_var!);
            nn.init.zeros_(_num_batches_tracked!);
        }

        /// <summary>Resets the running statistics, the weight to 1 and the bias to 0.</summary>
        public void reset_parameters()
        {
            reset_running_stats();
            if (!affine) return;
            nn.init.ones_(_weight!);
            nn.init.zeros_(_bias!);
        }

        /// <summary>Throws unless <paramref name="dim"/> is a number of input dimensions this layer accepts.</summary>
        private protected abstract void CheckInputDim(long dim);

        /// <inheritdoc />
        public override Tensor forward(Tensor input)
        {
            CheckInputDim(input.Dimensions);
            var useBatchStats = training || !track_running_stats;
            var tracked = training && track_running_stats ? _num_batches_tracked : null;
            return new Tensor(NativeMethods.dt_nn_batch_norm(input.Handle,
                _running_mean?.Handle ?? TensorHandle.Null, _running_var?.Handle ?? TensorHandle.Null,
                _weight?.Handle ?? TensorHandle.Null, _bias?.Handle ?? TensorHandle.Null, tracked?.Handle ?? TensorHandle.Null,
                useBatchStats, momentum ?? -1, eps));
        }
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            public static partial class functional
            {
                /// <summary>
                /// Batch normalisation of <paramref name="input"/> (N, C, …) over channel dimension 1. With
                /// <paramref name="training"/> it uses the batch's statistics and updates the running ones in place;
                /// otherwise it uses the running ones.
                /// </summary>
                public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                    bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                    new(NativeMethods.dt_nn_batch_norm(input.Handle, running_mean?.Handle ?? TensorHandle.Null, running_var?.Handle ?? TensorHandle.Null,
                        weight?.Handle ?? TensorHandle.Null, bias?.Handle ?? TensorHandle.Null, TensorHandle.Null, training, momentum, eps));
            }
        }
    }
}
