using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Modules
{
    /// <summary>
    /// Runs its modules in order, each one's output the next one's input. Children are named "0", "1", …
    /// (or as given), so state_dict keys read "0.weight", "2.bias" as in PyTorch. Intermediate outputs are
    /// released as soon as the next module has consumed them (autograd keeps what it needs).
    /// </summary>
    public sealed class Sequential : nn.Module<Tensor, Tensor>
    {
        private readonly List<nn.Module<Tensor, Tensor>> layers = new();

        internal Sequential(IEnumerable<(string name, nn.Module<Tensor, Tensor> module)> modules) : base(nameof(Sequential))
        {
            foreach (var (name, module) in modules) Add(name, module);
        }

        /// <summary>Number of modules.</summary>
        public int Count => layers.Count;

        /// <summary>The module at position <paramref name="index"/>.</summary>
        public nn.Module<Tensor, Tensor> this[int index] => layers[index];

        /// <summary>Appends <paramref name="module"/>, named after its position.</summary>
        public Sequential append(nn.Module<Tensor, Tensor> module)
        {
            Add(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
            return this;
        }

        private void Add(string name, nn.Module<Tensor, Tensor> module)
        {
            register_module(name, module);
            layers.Add(module);
        }

        /// <inheritdoc />
        public override Tensor forward(Tensor input)
        {
            var x = input;
            for (var i = 0; i < layers.Count; i++)
            {
                var y = layers[i].call(x);
                if (!ReferenceEquals(x, input) && !ReferenceEquals(x, y)) x.Dispose();
                x = y;
            }
            return ReferenceEquals(x, input) ? input.alias() : x;
        }
    }
}

namespace DistTrain.Torch
{
    public static partial class torch
    {
        public static partial class nn
        {
            /// <summary>The modules in order, named "0", "1", ….</summary>
            public static Modules.Sequential Sequential(params Module<Tensor, Tensor>[] modules) =>
                new(modules.Select((m, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), m)));

            /// <summary>The modules in order, with the given names.</summary>
            public static Modules.Sequential Sequential(params (string name, Module<Tensor, Tensor> module)[] modules) => new(modules);
        }
    }
}
