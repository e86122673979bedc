namespace DistTrain.Torch;

/// <summary>
/// Collects every tensor created on this thread while the scope is the innermost one and disposes
/// them together when the scope is disposed, as TorchSharp's dispose scopes do. A tensor that must
/// outlive the scope is moved out with <see cref="MoveToOuter(torch.Tensor)"/> or
/// <see cref="Detach(torch.Tensor)"/>.
/// </summary>
public sealed class DisposeScope : IDisposable
{
    [ThreadStatic] private static DisposeScope? current;

    private readonly HashSet<torch.Tensor> tensors = new(ReferenceEqualityComparer.Instance);
    private readonly DisposeScope? outer;
    private bool disposed;

    internal DisposeScope()
    {
        outer = current;
        current = this;
    }

    /// <summary>The innermost open scope on this thread, or null.</summary>
    public static DisposeScope? Current => current;

    /// <summary>How many tensors this scope will dispose.</summary>
    public int Count => tensors.Count;

    internal static void Register(torch.Tensor tensor)
    {
        var scope = current;
        if (scope is null) return;
        scope.tensors.Add(tensor);
        tensor.OwningScope = scope;
    }

    internal void Forget(torch.Tensor tensor) => tensors.Remove(tensor);

    /// <summary>Hands <paramref name="tensor"/> to the enclosing scope (or to no scope) and returns it.</summary>
    public torch.Tensor MoveToOuter(torch.Tensor tensor)
    {
        if (!tensors.Remove(tensor)) return tensor;
        tensor.OwningScope = outer;
        outer?.tensors.Add(tensor);
        return tensor;
    }

    /// <summary>Takes <paramref name="tensor"/> out of every scope: the caller now disposes it.</summary>
    public torch.Tensor Detach(torch.Tensor tensor)
    {
        tensors.Remove(tensor);
        tensor.OwningScope = null;
        return tensor;
    }

    /// <summary>Disposes every tensor still in the scope and closes it.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (current == this) current = outer;
        var owned = tensors.ToArray();
        tensors.Clear();
        foreach (var tensor in owned)
        {
            tensor.OwningScope = null;
            tensor.Dispose();
        }
    }
}

public static partial class torch
{
    /// <summary>Opens a dispose scope on this thread: tensors created until it is disposed are disposed with it.</summary>
    public static DisposeScope NewDisposeScope() => new();
}
