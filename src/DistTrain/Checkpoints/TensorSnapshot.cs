using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Checkpoints;

/// <summary>
/// Named host copies of tensors, taken on the training thread so that the write can run in the background
/// while training goes on changing the originals. Owns the copies: dispose it when written (with a
/// <see cref="HostCopyPool"/>, the copies go back to it for the next snapshot).
/// </summary>
internal sealed class TensorSnapshot(HostCopyPool? pool = null) : IDisposable
{
    /// <summary>The copies, by name, in the order taken: contiguous, on the CPU, detached.</summary>
    public Dictionary<string, Tensor> Tensors { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Adds a host copy of <paramref name="tensor"/> as <paramref name="name"/> (into the pool's kept copy when one fits).</summary>
    public void AddCopy(string name, Tensor tensor)
    {
        if (pool?.Take(name, tensor) is { } kept)
        {
            try
            {
                kept.copy_(tensor);
            }
            catch
            {
                kept.Dispose();
                throw;
            }

            Tensors.Add(name, kept);
        }
        else
        {
            Tensors.Add(name, HostCopy(tensor));
        }
    }

    /// <summary>Adds <paramref name="tensor"/> itself (a new CPU tensor the snapshot now owns) as <paramref name="name"/>.</summary>
    public void AddOwned(string name, Tensor tensor) => Tensors.Add(name, tensor.DetachFromDisposeScope());

    /// <summary>Copies every tensor of <paramref name="state"/> to host memory (a real copy even when it is on the CPU already). Blocks until copied.</summary>
    public static TensorSnapshot Take(IEnumerable<KeyValuePair<string, Tensor>> state, HostCopyPool? pool = null) => Build(pool, snapshot =>
    {
        foreach (var (name, tensor) in state)
            snapshot.AddCopy(name, tensor);
    });

    /// <summary>A snapshot that <paramref name="fill"/> fills; disposed again if filling throws.</summary>
    public static TensorSnapshot Build(HostCopyPool? pool, Action<TensorSnapshot> fill)
    {
        var snapshot = new TensorSnapshot(pool);
        try
        {
            using (no_grad())
                fill(snapshot);
            return snapshot;
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    // Detached from any dispose scope the caller has open (a training step's): the copy lives until the write is done.
    private static Tensor HostCopy(Tensor tensor)
    {
        using var detached = tensor.detach();
        var copy = detached.to(CPU, copy: true);
        if (!copy.is_contiguous())
        {
            var contiguous = copy.contiguous();
            copy.Dispose();
            copy = contiguous;
        }

        return copy.DetachFromDisposeScope();
    }

    /// <summary>Writes the copies as safetensors (TorchSharp.PyBridge) to <paramref name="stream"/>, leaving it open.</summary>
    public void WriteSafetensors(Stream stream) => TorchSharp.PyBridge.Safetensors.SaveStateDict(stream, Tensors, leaveOpen: true);

    public void Dispose()
    {
        if (pool is not null)
        {
            pool.Keep(Tensors);
            Tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            return;
        }

        foreach (var tensor in Tensors.Values)
            tensor.Dispose();
        Tensors.Clear();
    }
}
