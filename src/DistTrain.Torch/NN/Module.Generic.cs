namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A module whose <see cref="forward"/> takes one input: layers, activations and models.</summary>
        public abstract class Module<T, TResult> : Module
        {
            /// <summary>A module named after its type.</summary>
            protected Module() { }

            /// <summary>A module with the given name.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>The computation; call it through <see cref="call"/>.</summary>
            public abstract TResult forward(T input);

            /// <summary>Runs <see cref="forward"/>.</summary>
            public TResult call(T input) => forward(input);
        }

        /// <summary>A module whose <see cref="forward"/> takes two inputs, as losses take (input, target).</summary>
        public abstract class Module<T1, T2, TResult> : Module
        {
            /// <summary>A module named after its type.</summary>
            protected Module() { }

            /// <summary>A module with the given name.</summary>
            protected Module(string name) : base(name) { }

            /// <summary>The computation; call it through <see cref="call"/>.</summary>
            public abstract TResult forward(T1 input1, T2 input2);

            /// <summary>Runs <see cref="forward"/>.</summary>
            public TResult call(T1 input1, T2 input2) => forward(input1, input2);
        }
    }
}
