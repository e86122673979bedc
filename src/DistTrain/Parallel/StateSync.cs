using System.Text;
using DistTrain.Distributed;
using TorchSharp;

namespace DistTrain.Parallel;

/// <summary>
/// Makes model state identical across ranks: checks that every rank has the same parameters and
/// buffers (names, shapes, types), and broadcasts rank 0's values, coalesced into one flat tensor per
/// element type and device so a model costs one collective per type, not one per tensor.
/// </summary>
internal static class StateSync
{
    /// <summary>
    /// Fails on every rank, with the same message, when any rank's list of named tensors differs from
    /// rank 0's (two collectives: a broadcast of rank 0's fingerprint, then a sum of mismatches).
    /// </summary>
    /// <exception cref="InvalidOperationException">Some rank's model differs from rank 0's.</exception>
    public static void CheckSameStructure(ProcessGroup group, IEnumerable<(string Name, torch.Tensor Tensor)> state)
    {
        if (group.size() == 1) return;
        var text = new StringBuilder();
        var count = 0;
        foreach (var (name, tensor) in state)
        {
            text.Append(name).Append(':').AppendJoin('x', tensor.shape).Append(':').Append(tensor.dtype).Append(';');
            count++;
        }
        var fingerprint = Fnv1a(Encoding.UTF8.GetBytes(text.ToString()));
        using var shared = torch.tensor(new[] { fingerprint, count });
        group.broadcast(shared, 0);
        var theirs = shared.data<long>().ToArray();
        var differs = theirs[0] != fingerprint || theirs[1] != count;
        using var mismatches = torch.tensor(new[] { differs ? 1L : 0L });
        group.all_reduce(mismatches);
        var total = mismatches.item<long>();
        if (total > 0)
            throw new InvalidOperationException(
                $"DistributedDataParallel: the model's parameters and buffers (names, shapes or types) differ from rank 0's on {total} rank(s)" +
                (differs ? $", this rank ({group.rank()}, {count} tensors, rank 0 has {theirs[1]}) among them" : "") +
                ". Every rank must build the same model.");
    }

    /// <summary>Overwrites every tensor with rank 0's value (outside autograd; parameters keep their identity).</summary>
    public static void Broadcast(ProcessGroup group, IReadOnlyList<torch.Tensor> tensors)
    {
        if (group.size() == 1 || tensors.Count == 0) return;
        using var noGrad = torch.no_grad();
        foreach (var members in tensors.GroupBy(t => (t.dtype, t.device)))
        {
            var list = members.ToArray();
            using var scope = torch.NewDisposeScope();
            var flat = torch.cat(list.Select(t => t.reshape(-1)).ToArray());
            group.broadcast(flat, 0);
            if (group.rank() == 0) continue;
            long offset = 0;
            foreach (var t in list)
            {
                var n = t.numel();
                t.copy_(flat.narrow(0, offset, n).view(t.shape));
                offset += n;
            }
        }
    }

    private static long Fnv1a(byte[] bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return unchecked((long)hash);
    }
}
