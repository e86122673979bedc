"""The MNIST models of examples/DistTrain.Examples.Common/MnistModels.cs, in PyTorch, for the benchmarks' PyTorch side."""
from torch import nn


def mlp():
    """784-512-256-10 with ReLU."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    """conv32-conv64-fc128, as the examples' CNN."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
