using DistTrain.Examples.Transfer;

return TransferCommand.Run(args);
