using System.CommandLine;
using DistTrain.Coordinator.Hosting;

// dotnet run --project src/DistTrain.Coordinator -- --port 29400 --bind 127.0.0.1 --token <token> --nnodes 1:2
var root = CoordinatorCommand.AddTo(new RootCommand("DistTrain coordinator: rendezvous, failure detection and the key-value store of one job."));
return await root.Parse(args).InvokeAsync();
