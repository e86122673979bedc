namespace DistTrain.Runtime;

/// <summary>TorchSharp's native library (libLibTorchSharp.so and LibTorch) cannot be loaded here; the message says why and what to do.</summary>
public sealed class TorchSharpLoadException(string message, Exception? inner = null) : Exception(message, inner);
