using DistTrain.Examples.Cifar;

return ResNetCifarCommand.Run(args);
