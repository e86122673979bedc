using DistTrain.Examples;

return MnistCommand.Run(args, "Trains a small CNN (conv32-conv64-fc128) on 8,000 MNIST images and reports accuracy on 2,000 held out.",
    MnistModels.Cnn, new MnistOptions(Epochs: 5, BatchSize: 64, LearningRate: 0.05));
