using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How <see cref="init.kaiming_uniform_"/> and <see cref="init.kaiming_normal_"/> pick the fan.</summary>
        public enum FanInOut
        {
            /// <summary>Preserves the variance of the forward pass.</summary>
            FanIn,
            /// <summary>Preserves the variance of the backward pass.</summary>
            FanOut,
        }

        /// <summary>Non-linearities known to <see cref="init.calculate_gain"/>.</summary>
        public enum NonlinearityType
        {
            Linear, Conv1D, Conv2D, Conv3D, ConvTranspose1D, ConvTranspose2D, ConvTranspose3D,
            Sigmoid, Tanh, ReLU, LeakyReLU, SELU,
        }

        /// <summary>
        /// Parameter initialisation as torch.nn.init: in place, outside autograd, drawing from libtorch's
        /// default generator in the same order as PyTorch, so the same seed gives the same weights.
        /// Each function returns its tensor.
        /// </summary>
        public static class init
        {
            /// <summary>Fills with U(<paramref name="a"/>, <paramref name="b"/>).</summary>
            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1)
            {
                using (no_grad()) return tensor.uniform_(a, b);
            }

            /// <summary>Fills with N(<paramref name="mean"/>, <paramref name="std"/>²).</summary>
            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1)
            {
                using (no_grad()) return tensor.normal_(mean, std);
            }

            /// <summary>Fills with <paramref name="val"/>.</summary>
            public static Tensor constant_(Tensor tensor, Scalar val)
            {
                using (no_grad()) return tensor.fill_(val);
            }

            /// <summary>Fills with zeros.</summary>
            public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);

            /// <summary>Fills with ones.</summary>
            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            /// <summary>
            /// The recommended gain for a non-linearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for
            /// ReLU, √(2 / (1 + slope²)) for leaky ReLU (slope <paramref name="param"/>, default 0.01), 3/4 for SELU.
            /// </summary>
            public static double calculate_gain(NonlinearityType nonlinearity, double? param = null) => nonlinearity switch
            {
                NonlinearityType.Tanh => 5.0 / 3,
                NonlinearityType.ReLU => Math.Sqrt(2.0),
                NonlinearityType.LeakyReLU => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                NonlinearityType.SELU => 3.0 / 4,
                _ => 1.0,
            };

            /// <summary>
            /// Fan-in and fan-out of a weight of shape (out, in, *kernel): in × receptive field and
            /// out × receptive field. Needs at least two dimensions.
            /// </summary>
            public static (long fan_in, long fan_out) CalculateFanInAndFanOut(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2)
                    throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions", nameof(tensor));
                long receptive = 1;
                for (var i = 2; i < shape.Length; i++) receptive *= shape[i];
                return (shape[1] * receptive, shape[0] * receptive);
            }

            /// <summary>
            /// Kaiming (He) uniform: U(−bound, bound) with bound = gain × √(3 / fan), gain from
            /// <paramref name="nonlinearity"/> and negative slope <paramref name="a"/>. PyTorch's Linear and
            /// Conv layers use a = √5 with leaky ReLU and fan-in.
            /// </summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn,
                NonlinearityType nonlinearity = NonlinearityType.LeakyReLU)
            {
                var std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound);
            }

            /// <summary>Kaiming (He) normal: N(0, std²) with std = gain / √fan.</summary>
            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, FanInOut mode = FanInOut.FanIn,
                NonlinearityType nonlinearity = NonlinearityType.LeakyReLU) =>
                normal_(tensor, 0, calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode)));

            /// <summary>Xavier (Glorot) uniform: U(−a, a) with a = gain × √(6 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
                var a = Math.Sqrt(3.0) * (gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
                return uniform_(tensor, -a, a);
            }

            /// <summary>Xavier (Glorot) normal: N(0, std²) with std = gain × √(2 / (fan_in + fan_out)).</summary>
            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0)
            {
                var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)));
            }

            private static long Fan(Tensor tensor, FanInOut mode)
            {
                var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
                return mode == FanInOut.FanIn ? fanIn : fanOut;
            }

            /// <summary>
            /// PyTorch's default for Linear and Conv layers: weight kaiming_uniform_(a = √5), bias
            /// U(−1/√fan_in, 1/√fan_in), drawn in that order.
            /// </summary>
            internal static void DefaultLayerInit(Tensor weight, Tensor? bias)
            {
                kaiming_uniform_(weight, Math.Sqrt(5));
                if (bias is null) return;
                var (fanIn, _) = CalculateFanInAndFanOut(weight);
                var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                uniform_(bias, -bound, bound);
            }
        }
    }
}
