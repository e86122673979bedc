using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public abstract partial class Module
        {
            /// <summary>
            /// Moves every parameter and buffer (and existing gradient) to <paramref name="device"/> and,
            /// when <paramref name="dtype"/> is given, converts the floating-point ones to it. The tensor
            /// objects keep their identity (as PyTorch's <c>param.data = ...</c>), so references held
            /// elsewhere, such as an optimizer's, stay valid.
            /// </summary>
            internal void Convert(Device? device, ScalarType? dtype)
            {
                foreach (var module in modules())
                {
                    for (var i = 0; i < module.parameterSlots.Count; i++)
                        if (module.parameterSlots.ValueAt(i) is { } p)
                        {
                            ConvertInPlace(p, device, dtype);
                            using var grad = p.grad;
                            if (grad is not null)
                            {
                                ConvertInPlace(grad, device, dtype);
                            }
                        }
                    for (var i = 0; i < module.bufferSlots.Count; i++)
                        if (module.bufferSlots.ValueAt(i) is { } b) ConvertInPlace(b, device, dtype);
                }
            }

            private static void ConvertInPlace(Tensor tensor, Device? device, ScalarType? dtype)
            {
                var targetType = dtype is { } t && is_floating_point(tensor.dtype) ? (int)t : -1;
                var targetDevice = device is null ? -1 : (int)device.type;
                using var converted = new Tensor(NativeMethods.dt_tensor_to(tensor.Handle, targetType, targetDevice, device?.index ?? -1, false));
                NativeError.Check(NativeMethods.dt_nn_set_data(tensor.Handle, converted.Handle));
            }
        }
    }
}

/// <summary>Conversions on modules that return the module itself, typed as it was, for chaining.</summary>
public static class ModuleExtensions
{
    /// <summary>Moves the module's parameters and buffers to <paramref name="device"/>.</summary>
    public static T to<T>(this T module, torch.Device device) where T : torch.nn.Module
    {
        module.Convert(device, null);
        return module;
    }

    /// <summary>Converts the module's floating-point parameters and buffers to <paramref name="dtype"/>.</summary>
    public static T to<T>(this T module, ScalarType dtype) where T : torch.nn.Module
    {
        module.Convert(null, dtype);
        return module;
    }

    /// <summary>Moves the module to <paramref name="device"/> and converts its floating-point state to <paramref name="dtype"/>.</summary>
    public static T to<T>(this T module, torch.Device device, ScalarType dtype) where T : torch.nn.Module
    {
        module.Convert(device, dtype);
        return module;
    }

    /// <summary>Moves the module to the CPU.</summary>
    public static T cpu<T>(this T module) where T : torch.nn.Module => module.to(torch.CPU);

    /// <summary>Moves the module to CUDA device <paramref name="index"/>.</summary>
    public static T cuda<T>(this T module, int index = -1) where T : torch.nn.Module => module.to(torch.CUDA(index));
}
