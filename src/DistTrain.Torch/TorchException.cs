namespace DistTrain.Torch;

/// <summary>An error raised by libtorch; the message is libtorch's own, without the C++ backtrace.</summary>
public sealed class TorchException(string message) : Exception(message);
