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
    /// returns them, to put in the manifest (or report to the party that commits). The model's and the
    /// optimizer's files are written side by side, each on its own thread: each is bound by its own CPU
    /// (SHA-256, the copy into the page cache), so with a core free a save takes about as long as the larger
    /// file. Blocks until both are written or failed.
    /// </summary>
    /// <exception cref="CheckpointWriteException">A write failed (full disk, permissions); nothing of the failed file is left.
    /// When both fail, the model file's error.</exception>
    public IReadOnlyList<CheckpointFile> WriteTo(StagedCheckpoint staged)
    {
        var optimizer = _optimizer is null ? null : Task.Run(() => staged.WriteFile(_optimizerFile, _optimizer.WriteSafetensors));
        var files = new List<CheckpointFile>();
        Exception? failure = null;
        try
        {
            if (_model is not null)
                files.Add(staged.WriteFile(_modelFile, _model.WriteSafetensors));
        }
        catch (Exception e)
        {
            failure = e;
        }

        // Waited for also after a failure: the caller abandons the staging directory, which must not be written to any more.
        if (optimizer is not null)
        {
            try
            {
                files.Add(optimizer.GetAwaiter().GetResult());
            }
            catch (Exception e)
            {
                failure ??= e;
            }
        }

        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return files;
    }

    /// <summary>Frees the host copies (or gives them back to the checkpointer's pools for the next snapshot).</summary>
    public void Dispose()
    {
        _model?.Dispose();
        _optimizer?.Dispose();
    }
}
