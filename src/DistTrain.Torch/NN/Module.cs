using DistTrain.Torch.Modules;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// The base of every layer and model: holds named parameters, buffers and child modules in
        /// registration order, and walks them for <see cref="parameters"/>, <see cref="state_dict()"/>,
        /// <see cref="train"/>, conversion and disposal. Derive from <see cref="Module{T, TResult}"/>,
        /// declare parameters and submodules as fields, and call <see cref="RegisterComponents"/> once
        /// at the end of the constructor.
        /// </summary>
        public abstract partial class Module : IDisposable
        {
            private readonly OrderedSlots<Parameter> parameterSlots = new();
            private readonly OrderedSlots<Tensor> bufferSlots = new();
            private readonly HashSet<string> nonPersistentBuffers = new();
            private readonly OrderedSlots<Module> moduleSlots = new();
            private readonly string name;
            private bool disposed;

            /// <summary>A module named after its type.</summary>
            protected Module() => name = GetType().Name;

            /// <summary>A module with the given name (as TorchSharp's modules take one).</summary>
            protected Module(string name) => this.name = name;

            /// <summary>The module's name: its type's name unless one was given.</summary>
            public string GetName() => name;

            /// <summary>True in training mode (the default), false after <see cref="eval"/>.</summary>
            public bool training { get; private set; } = true;

            /// <summary>Adds (or replaces, keeping its position) the parameter <paramref name="name"/>; null registers an empty slot.</summary>
            public void register_parameter(string name, Parameter? param)
            {
                CheckName(name, bufferSlots.Contains(name) || moduleSlots.Contains(name));
                param?.DetachFromDisposeScope();
                parameterSlots.Set(name, param);
            }

            /// <summary>
            /// Adds (or replaces) the buffer <paramref name="name"/>: state that is not trained but moves
            /// and converts with the module, and is saved in <see cref="state_dict()"/> when
            /// <paramref name="persistent"/>. The module takes ownership: it disposes the tensor.
            /// </summary>
            public void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                CheckName(name, parameterSlots.Contains(name) || moduleSlots.Contains(name));
                tensor?.DetachFromDisposeScope();
                bufferSlots.Set(name, tensor);
                if (persistent) nonPersistentBuffers.Remove(name);
                else nonPersistentBuffers.Add(name);
            }

            /// <summary>Adds (or replaces, keeping its position) the child module <paramref name="name"/>.</summary>
            public void register_module(string name, Module module)
            {
                ArgumentNullException.ThrowIfNull(module);
                CheckName(name, parameterSlots.Contains(name) || bufferSlots.Contains(name));
                moduleSlots.Set(name, module);
            }

            private static void CheckName(string name, bool takenByAnotherKind)
            {
                ArgumentException.ThrowIfNullOrEmpty(name);
                if (name.Contains('.'))
                    throw new ArgumentException($"The name \"{name}\" must not contain \".\".", nameof(name));
                if (takenByAnotherKind)
                    throw new ArgumentException($"The name \"{name}\" is already used by another parameter, buffer or module of this module.", nameof(name));
            }

            /// <summary>Parameters with their dotted names ("fc1.weight"), this module's first, then each child's; a shared parameter appears once.</summary>
            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, module) in ModulesToVisit(recurse))
                {
                    var slots = module.parameterSlots;
                    for (var i = 0; i < slots.Count; i++)
                        if (slots.ValueAt(i) is { } p && seen.Add(p))
                            yield return (prefix + slots.NameAt(i), p);
                }
            }

            /// <summary>Every parameter, in <see cref="named_parameters"/>'s order.</summary>
            public IEnumerable<Parameter> parameters(bool recurse = true)
            {
                foreach (var (_, p) in named_parameters(recurse)) yield return p;
            }

            /// <summary>Buffers (persistent or not) with their dotted names ("bn.running_mean").</summary>
            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, module) in ModulesToVisit(recurse))
                {
                    var slots = module.bufferSlots;
                    for (var i = 0; i < slots.Count; i++)
                        if (slots.ValueAt(i) is { } b && seen.Add(b))
                            yield return (prefix + slots.NameAt(i), b);
                }
            }

            /// <summary>Every buffer, in <see cref="named_buffers"/>'s order.</summary>
            public IEnumerable<Tensor> buffers(bool recurse = true)
            {
                foreach (var (_, b) in named_buffers(recurse)) yield return b;
            }

            /// <summary>The direct children with their names.</summary>
            public IEnumerable<(string name, Module module)> named_children()
            {
                for (var i = 0; i < moduleSlots.Count; i++)
                    if (moduleSlots.ValueAt(i) is { } m) yield return (moduleSlots.NameAt(i), m);
            }

            /// <summary>The direct children.</summary>
            public IEnumerable<Module> children()
            {
                foreach (var (_, m) in named_children()) yield return m;
            }

            /// <summary>This module (named "") and every descendant with its dotted name, depth first; each module once.</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
                return NamedModules("", seen);
            }

            /// <summary>This module and every descendant.</summary>
            public IEnumerable<Module> modules()
            {
                foreach (var (_, m) in named_modules()) yield return m;
            }

            private IEnumerable<(string name, Module module)> NamedModules(string prefix, HashSet<Module> seen)
            {
                if (!seen.Add(this)) yield break;
                yield return (prefix, this);
                for (var i = 0; i < moduleSlots.Count; i++)
                {
                    if (moduleSlots.ValueAt(i) is not { } child) continue;
                    var childPrefix = prefix.Length == 0 ? moduleSlots.NameAt(i) : prefix + "." + moduleSlots.NameAt(i);
                    foreach (var item in child.NamedModules(childPrefix, seen)) yield return item;
                }
            }

            // (prefix ending in "." or empty, module) for this module alone or for it and every descendant.
            private IEnumerable<(string prefix, Module module)> ModulesToVisit(bool recurse)
            {
                if (!recurse)
                {
                    yield return ("", this);
                    yield break;
                }
                foreach (var (n, m) in named_modules()) yield return (n.Length == 0 ? "" : n + ".", m);
            }

            /// <summary>Sets training mode on this module and every descendant (dropout and batch norm behave differently).</summary>
            public virtual void train(bool mode = true)
            {
                training = mode;
                for (var i = 0; i < moduleSlots.Count; i++) moduleSlots.ValueAt(i)?.train(mode);
            }

            /// <summary>Evaluation mode: the same as <c>train(false)</c>.</summary>
            public void eval() => train(false);

            /// <summary>
            /// Clears the gradients of every parameter: sets them to none (the default, as PyTorch 2.x) or,
            /// with <paramref name="set_to_none"/> false, zeroes them in place.
            /// </summary>
            public void zero_grad(bool set_to_none = true)
            {
                for (var i = 0; i < parameterSlots.Count; i++)
                    if (parameterSlots.ValueAt(i) is { } p)
                        Native.NativeError.Check(Native.NativeMethods.dt_nn_zero_grad(p.Handle, set_to_none));
                for (var i = 0; i < moduleSlots.Count; i++) moduleSlots.ValueAt(i)?.zero_grad(set_to_none);
            }

            /// <summary>Disposes this module's parameters and buffers and, recursively, its children.</summary>
            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            /// <summary>Releases the native tensors this module owns.</summary>
            protected virtual void Dispose(bool disposing)
            {
                if (disposed || !disposing) return;
                disposed = true;
                for (var i = 0; i < moduleSlots.Count; i++) moduleSlots.ValueAt(i)?.Dispose();
                for (var i = 0; i < parameterSlots.Count; i++) parameterSlots.ValueAt(i)?.Dispose();
                for (var i = 0; i < bufferSlots.Count; i++) bufferSlots.ValueAt(i)?.Dispose();
            }

            /// <inheritdoc />
            public override string ToString() => name;
        }
    }
}
