using DistTrain.Distributed;

namespace DistTrain.Data;

/// <summary>A data plan call to the coordinator failed; the message gives the dataset, the status and the coordinator's reason, the inner exception the RPC error.</summary>
public sealed class DataPlanException(string message, Exception? inner = null) : DistributedException(message, inner);
