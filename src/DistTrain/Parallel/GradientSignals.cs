using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace DistTrain.Parallel;

/// <summary>
/// Who hears the autograd engine's signals. Implementations must not throw: the signals are called
/// from inside the engine, where an exception would end the process. They return false to make the
/// backward pass fail (see <see cref="BackwardFailure"/>).
/// </summary>
internal interface IGradientSignalListener
{
    /// <summary>Backward reached the input of a module's use <paramref name="use"/>: the module's own parameters hold their gradients of that use.</summary>
    bool OnModuleInputReached(ModuleUse use);

    /// <summary>Backward reached the start of the forward pass <paramref name="pass"/>: nothing of it is left to run.</summary>
    bool OnForwardStartReached(ForwardPass pass);
}

/// <summary>One call of a hooked module in one forward pass.</summary>
internal sealed record ModuleUse(int Module, ForwardPass Pass);

/// <summary>One forward pass of the wrapped model (several may feed one backward).</summary>
internal sealed record ForwardPass(long Iteration);

/// <summary>
/// Identity on a module's input whose backward runs once every parameter of that module holds its
/// final gradient of this use: the engine runs the ready node with the highest sequence number, and
/// the parameters' AccumulateGrad nodes have the highest of all, so they run before the gradient moves
/// on to the module's input (verified for MLPs, CNNs with BatchNorm and TorchVision's resnet18;
/// <see cref="GradientReducer"/> checks it once on the model it trains).
/// </summary>
internal sealed class ModuleInputSignal : SingleTensorFunction<ModuleInputSignal>
{
    private const string UseKey = "use";
    private const string ListenerKey = "listener";
    private const string DimKey = "dim";

    public override string Name => "DistTrainModuleInputSignal";

    /// <summary>The input, unchanged, with this signal in its history.</summary>
    public static Tensor Wrap(Tensor input, ModuleUse use, IGradientSignalListener listener) => apply(input, use, listener);

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var input = (Tensor)vars[0];
        ctx.save_data(UseKey, vars[1]);
        ctx.save_data(ListenerKey, vars[2]);
        ctx.save_data(DimKey, input.dim());
        return input.alias();
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var listener = (IGradientSignalListener)ctx.get_data(ListenerKey);
        var ok = listener.OnModuleInputReached((ModuleUse)ctx.get_data(UseKey));
        // A 0-dim input takes any gradient shape: there the failure waits for the next forward.
        return [ok || (long)ctx.get_data(DimKey) == 0 ? grad_output : BackwardFailure.InvalidGradient(), null!, null!];
    }
}

/// <summary>
/// A zero joined to the model's output, made from a tensor that exists before the forward pass: its
/// node has the lowest sequence number of the pass, so the engine runs its backward after every other
/// node of the pass (and after every AccumulateGrad), which makes it the "backward is done" signal
/// TorchSharp lacks (PyTorch's queue_callback).
/// </summary>
internal sealed class ForwardStartSignal : SingleTensorFunction<ForwardStartSignal>
{
    private const string PassKey = "pass";
    private const string ListenerKey = "listener";

    public override string Name => "DistTrainForwardStartSignal";

    /// <summary>A 0-dim zero of <paramref name="anchor"/>'s type whose backward is the signal; <paramref name="anchor"/> must require grad and be 1-D.</summary>
    public static Tensor Start(Tensor anchor, ForwardPass pass, IGradientSignalListener listener) => apply(anchor, pass, listener);

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        ctx.save_data(PassKey, vars[1]);
        ctx.save_data(ListenerKey, vars[2]);
        var anchor = (Tensor)vars[0];
        return zeros([], anchor.dtype, anchor.device);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        var listener = (IGradientSignalListener)ctx.get_data(ListenerKey);
        var ok = listener.OnForwardStartReached((ForwardPass)ctx.get_data(PassKey));
        // No gradient for the anchor: nothing accumulates into it.
        return [ok ? null! : BackwardFailure.InvalidGradient(), null!, null!];
    }
}

/// <summary>
/// How a signal makes the backward pass fail: TorchSharp gives custom functions no way to raise an
/// error through the engine, and an exception escaping into native code would end the process. A
/// gradient whose shape fits no input makes LibTorch's engine throw, so <c>loss.backward()</c> throws
/// in the caller; the reducer has kept the real reason, printed it, and raises it on the next forward.
/// </summary>
internal static class BackwardFailure
{
    /// <summary>A gradient no input of one or more dimensions can take: a 0-dim tensor, which they cannot be reduced to.</summary>
    public static Tensor InvalidGradient() => zeros([]);
}
