using System.Runtime.CompilerServices;

// The distributed tests drive the store bridge through c10d's own Store API (NativeStoreView).
[assembly: InternalsVisibleTo("DistTrain.Distributed.Tests")]
[assembly: InternalsVisibleTo("DistTrain.Distributed.TestWorker")]
