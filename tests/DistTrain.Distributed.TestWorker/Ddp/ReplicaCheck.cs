using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.TestWorker.Ddp;

/// <summary>Whether every rank holds the same tensors as rank 0, bit for bit.</summary>
internal static class ReplicaCheck
{
    /// <summary>The names of the tensors of <paramref name="named"/> that differ from rank 0's (a collective: every rank calls it with the same names).</summary>
    public static string[] DifferFromRankZero(ProcessGroup group, IEnumerable<(string Name, Tensor Tensor)> named)
    {
        var differing = new List<string>();
        foreach (var (name, tensor) in named)
        {
            using var rankZero = tensor.detach().clone();
            group.broadcast(rankZero, 0);
            if (!Check.Same(tensor.detach(), rankZero)) differing.Add(name);
        }
        return differing.ToArray();
    }
}
