using System.Runtime.InteropServices;

namespace DistTrain.Torch.Native;

/// <summary>The C ABI's dt_scalar: an integer, floating-point or boolean number.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly struct NativeScalar(long integer, double floating, int kind)
{
    public readonly long Integer = integer;
    public readonly double Floating = floating;
    public readonly int Kind = kind;

    public const int IntegerKind = 0, FloatingKind = 1, BoolKind = 2;
}
