using DistTrain.Checkpointing;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DistTrain.Checkpoints;

/// <summary>Puts a verified checkpoint's state back: the model through PyBridge's <c>load_safetensors</c>, the optimizer, the generators.</summary>
internal static class CheckpointLoader
{
    /// <summary>The name of torch's default CPU generator in <see cref="RankRngState.States"/>.</summary>
    public const string TorchGenerator = "torch";

    /// <exception cref="InvalidDataException">A file does not fit the model or the optimizer.</exception>
    public static void LoadModel(nn.Module model, VerifiedCheckpoint checkpoint, string file) =>
        model.load_safetensors(checkpoint.FilePath(file), strict: true);

    /// <exception cref="InvalidDataException">The file does not fit the optimizer (another model or optimizer).</exception>
    public static void LoadOptimizer(OptimizerHelper optimizer, VerifiedCheckpoint checkpoint, string file)
    {
        var path = checkpoint.FilePath(file);
        var tensors = Safetensors.LoadStateDict(path);
        try
        {
            OptimizerStateTensors.Load(optimizer, tensors, $"{checkpoint.Name}/{file}");
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }

    /// <summary>This rank's generator states: torch's default generator and every registered <see cref="Random"/>.</summary>
    public static Dictionary<string, string> CaptureRng(IReadOnlyDictionary<string, Random> randoms)
    {
        using var torchState = get_rng_state();
        var states = new Dictionary<string, string>(StringComparer.Ordinal) { [TorchGenerator] = Convert.ToBase64String(torchState.bytes) };
        foreach (var (name, random) in randoms)
            states[name] = Convert.ToBase64String(RandomState.Capture(random));
        return states;
    }

    /// <summary>Restores the generators saved for <paramref name="rank"/>; returns the names that had no saved state (left as they are).</summary>
    public static IReadOnlyList<string> RestoreRng(CheckpointManifest manifest, int rank, IReadOnlyDictionary<string, Random> randoms)
    {
        var saved = manifest.RngStates.FirstOrDefault(r => r.Rank == rank)?.States ?? new Dictionary<string, string>();
        var missing = new List<string>();
        if (saved.TryGetValue(TorchGenerator, out var torchState))
        {
            using var state = tensor(Convert.FromBase64String(torchState));
            set_rng_state(state);
        }
        else
            missing.Add(TorchGenerator);

        foreach (var (name, random) in randoms)
        {
            if (saved.TryGetValue(name, out var state))
                RandomState.Restore(random, Convert.FromBase64String(state));
            else
                missing.Add(name);
        }

        return missing;
    }
}
