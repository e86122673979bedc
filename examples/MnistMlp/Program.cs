using DistTrain.Examples;

return MnistCommand.Run(args, "Trains an MLP (784-512-256-10) on 8,000 MNIST images and reports accuracy on 2,000 held out.",
    MnistModels.Mlp, new MnistOptions(Epochs: 5, BatchSize: 64, LearningRate: 0.05));
