using DistTrain.Protocol.Launch;

namespace DistTrain.Distributed.Tests.Harness;

/// <summary>
/// The two paths an all_reduce sum can take between ranks on one host: the shared-memory one (the
/// default) and Gloo (DISTTRAIN_LOCAL_ALLREDUCE=0). Workers print which one their group uses.
/// </summary>
public static class Transport
{
    public const string SharedMemory = "shared-memory";
    public const string Gloo = "gloo";

    /// <summary><paramref name="options"/> with the environment that selects <paramref name="transport"/>.</summary>
    public static WorkerGroupOptions Select(string transport, WorkerGroupOptions? options = null)
    {
        options ??= new WorkerGroupOptions();
        var environment = new Dictionary<string, string>(options.Environment)
        {
            [LaunchVariables.LocalAllReduce.Name] = transport == Gloo ? "0" : "1",
        };
        return options with { Environment = environment };
    }

    /// <summary>How a collective's messages name what carried an all_reduce sum (or a barrier) over <paramref name="transport"/>.</summary>
    public static string SumLabel(string transport) => transport == SharedMemory ? "gloo, through shared memory" : "gloo";

    /// <summary>The line every worker prints for the transport its group uses.</summary>
    public static string Line(string transport) => $"all_reduce transport: {transport}";
}
