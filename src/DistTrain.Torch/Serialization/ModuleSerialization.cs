namespace DistTrain.Torch.Serialization;

/// <summary>Saving and loading a module's state (parameters and persistent buffers) as safetensors.</summary>
public static class ModuleSerialization
{
    /// <summary>
    /// Writes <paramref name="module"/>'s <c>state_dict()</c> to <paramref name="path"/> as safetensors, atomically,
    /// under PyTorch's names ("fc1.weight"), so that Python can load it into the same architecture.
    /// </summary>
    public static void save(this torch.nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        torch.safetensors.save_file(module.state_dict(), path, metadata);
    }

    /// <summary>
    /// Copies the tensors of the safetensors file at <paramref name="path"/> into <paramref name="module"/>'s parameters
    /// and buffers with the same names; with <paramref name="strict"/>, missing or unexpected names throw.
    /// </summary>
    /// <returns>The module, for chaining.</returns>
    public static T load<T>(this T module, string path, bool strict = true) where T : torch.nn.Module
    {
        ArgumentNullException.ThrowIfNull(module);
        var tensors = torch.safetensors.load_file(path);
        try
        {
            module.load_state_dict(tensors, strict);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
        return module;
    }
}
