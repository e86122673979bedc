using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public abstract partial class Module
        {
            /// <summary>
            /// The module's state by PyTorch's names ("fc1.weight", "0.bias", "bn.running_mean"):
            /// parameters and persistent buffers, in registration order. The values are the module's own
            /// tensors, not copies: do not dispose them.
            /// </summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var result = new Dictionary<string, Tensor>();
                foreach (var (key, tensor) in StateEntries()) result.TryAdd(key, tensor);
                return result;
            }

            // As PyTorch's state_dict: own parameters, own persistent buffers, then each child's under its
            // name (a module registered under two names appears under both).
            private IEnumerable<(string key, Tensor tensor)> StateEntries(string prefix = "")
            {
                for (var i = 0; i < parameterSlots.Count; i++)
                    if (parameterSlots.ValueAt(i) is { } p) yield return (prefix + parameterSlots.NameAt(i), p);
                for (var i = 0; i < bufferSlots.Count; i++)
                    if (bufferSlots.ValueAt(i) is { } b && !nonPersistentBuffers.Contains(bufferSlots.NameAt(i)))
                        yield return (prefix + bufferSlots.NameAt(i), b);
                for (var i = 0; i < moduleSlots.Count; i++)
                    if (moduleSlots.ValueAt(i) is { } child)
                        foreach (var entry in child.StateEntries(prefix + moduleSlots.NameAt(i) + "."))
                            yield return entry;
            }

            /// <summary>
            /// Copies <paramref name="state_dict"/>'s tensors into this module's parameters and persistent
            /// buffers with the same names (converting dtype and device as needed, outside autograd).
            /// With <paramref name="strict"/>, a missing or unexpected key throws before anything is copied.
            /// A shape mismatch always throws, naming the key.
            /// </summary>
            /// <returns>The module's keys absent from the dictionary, and the dictionary's keys the module lacks.</returns>
            /// <exception cref="InvalidOperationException">Strict and the keys differ, or a shape differs.</exception>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(
                IReadOnlyDictionary<string, Tensor> state_dict, bool strict = true)
            {
                ArgumentNullException.ThrowIfNull(state_dict);
                var own = this.state_dict();
                var missing = own.Keys.Where(k => !state_dict.ContainsKey(k)).ToList();
                var unexpected = state_dict.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                {
                    var parts = new List<string>();
                    if (missing.Count > 0) parts.Add("Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")) + ".");
                    if (unexpected.Count > 0) parts.Add("Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")) + ".");
                    throw new InvalidOperationException($"Error(s) in loading state_dict for {GetName()}: " + string.Join(" ", parts));
                }
                foreach (var (key, target) in own)
                {
                    if (!state_dict.TryGetValue(key, out var source)) continue;
                    var status = NativeMethods.dt_nn_copy_(target.Handle, source.Handle);
                    if (status != 0)
                        throw new InvalidOperationException($"Error(s) in loading state_dict for {GetName()}: while copying \"{key}\": {NativeError.Last().Message}");
                }
                return (missing, unexpected);
            }
        }
    }
}
