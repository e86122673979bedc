using DistTrain.Checkpointing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistTrain.Checkpoints;

/// <summary>
/// One rank's state at a step, copied to host memory (see <see cref="Checkpointer.Snapshot"/>): its model
/// and optimizer tensors when this rank writes them, and its random generator states. Writing it touches
/// neither the model nor the optimizer, so it can run on any thread while training goes on. Owns the copies.
/// </summary>
public sealed class CheckpointSnapshot : IDisposable
{
    private readonly TensorSnapshot? _model;
    private readonly TensorSnapshot? _optimizer;
    private readonly string _modelFile;
    private readonly string _optimizerFile;

    internal CheckpointSnapshot(long step, int rank, nn.Module? model, OptimizerHelper? optimizer, CheckpointSharding sharding,
        IReadOnlyDictionary<string, string> rng, HostCopyPool? modelPool = null, HostCopyPool? optimizerPool = null)
    {
        Step = step;
        Rng = new RankRngState(rank, rng);
        _modelFile = CheckpointFiles.Model(rank, sharding);
        _optimizerFile = CheckpointFiles.Optimizer(rank, sharding);
        try
        {
            _model = model is null ? null : TensorSnapshot.Take(model.state_dict(), modelPool);
            _optimizer = optimizer is null ? null : OptimizerStateTensors.Capture(optimizer, optimizerPool);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The step the state is at.</summary>
    public long Step { get; }

    /// <summary>This rank's random generator states, for the manifest.</summary>
    public RankRngState Rng { get; }

    /// <summary>Whether there are model or optimizer files to write (false on a rank that does not write a replicated checkpoint).</summary>
    public bool HasFiles => _model is not null || _optimizer is not null;

    /// <summary>
    /// Writes this rank's files into <paramref name="staged"/> (each: temporary file, fsync, rename) and
    /// returns them, to put in the manifest (or report to the party that commits). Blocks for the writes.
    /// </summary>
    /// <exception cref="CheckpointWriteException">A write failed (full disk, permissions); nothing of the failed file is left.</exception>
    public IReadOnlyList<CheckpointFile> WriteTo(StagedCheckpoint staged)
    {
        var files = new List<CheckpointFile>();
        if (_model is not null)
            files.Add(staged.WriteFile(_modelFile, _model.WriteSafetensors));
        if (_optimizer is not null)
            files.Add(staged.WriteFile(_optimizerFile, _optimizer.WriteSafetensors));
        return files;
    }

    /// <summary>Frees the host copies (or gives them back to the checkpointer's pools for the next snapshot).</summary>
    public void Dispose()
    {
        _model?.Dispose();
        _optimizer?.Dispose();
    }
}
