namespace DistTrain.Protocol.DataPlan;

/// <summary>
/// One epoch's order of a dataset's ids: a bijection of [0, size) chosen by (seed, epoch), computed
/// one position at a time in O(1) memory, so a rank evaluates only the positions it reads and never
/// builds the whole order.
/// </summary>
/// <remarks>
/// <para>
/// The bijection is a balanced Feistel network of <see cref="Rounds"/> rounds over the smallest even
/// number of bits that holds size − 1 (a domain of fewer than 4 × size values), with cycle walking:
/// a value outside [0, size) is encrypted again until it falls inside. Encryption is a permutation of
/// the domain, so walking from a position inside [0, size) returns inside [0, size) and two positions
/// never meet (on average fewer than 4 encryptions per position).
/// </para>
/// <para>
/// Why it is stable: every step is written here in 64-bit integer arithmetic (shifts, xors, wrapping
/// multiplications by fixed constants, SplitMix64's finalizer), with no call to
/// <see cref="System.Random"/> (whose algorithm .NET may change, and did in .NET 6),
/// <see cref="System.HashCode"/> (seeded per process) or floating point. The same (seed, epoch, size)
/// give the same order on every rank, machine, operating system and .NET version; a test pins a
/// few values so a change cannot go unnoticed.
/// </para>
/// </remarks>
public readonly struct EpochPermutation
{
    /// <summary>Feistel rounds; four make a pseudo-random permutation, six leave a margin.</summary>
    public const int Rounds = 6;

    private readonly ulong _k0, _k1, _k2, _k3, _k4, _k5;
    private readonly int _half;
    private readonly ulong _mask;

    /// <summary>The order of epoch <paramref name="epoch"/> of a dataset of <paramref name="size"/> ids.</summary>
    /// <param name="seed">The dataset's seed.</param>
    /// <param name="epoch">The epoch, from 0.</param>
    /// <param name="size">Ids in the dataset, at least 0.</param>
    /// <param name="shuffle">Whether to permute; false gives the identity (position p holds id p).</param>
    /// <exception cref="ArgumentOutOfRangeException">The size or the epoch is negative.</exception>
    public EpochPermutation(ulong seed, long epoch, long size, bool shuffle = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        Size = size;
        Shuffled = shuffle && size > 1;
        _k0 = _k1 = _k2 = _k3 = _k4 = _k5 = 0;
        _half = 0;
        _mask = 0;
        if (!Shuffled)
        {
            return;
        }

        var bits = 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(size - 1));
        _half = (bits + 1) / 2;
        _mask = (1UL << _half) - 1; // size − 1 < 2^63, so _half ≤ 32
        var state = Mix(seed) ^ Mix((ulong)epoch ^ 0xD1B54A32D192ED03UL);
        _k0 = Next(ref state);
        _k1 = Next(ref state);
        _k2 = Next(ref state);
        _k3 = Next(ref state);
        _k4 = Next(ref state);
        _k5 = Next(ref state);
    }

    /// <summary>Ids in the dataset.</summary>
    public long Size { get; }

    /// <summary>Whether the order is permuted (false for the identity, and for a dataset of 0 or 1 ids).</summary>
    public bool Shuffled { get; }

    /// <summary>The id at <paramref name="position"/> of the epoch's order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is outside [0, size).</exception>
    public long this[long position]
    {
        get
        {
            if ((ulong)position >= (ulong)Size)
            {
                throw new ArgumentOutOfRangeException(nameof(position), position, $"The position ({position}) must be in [0, {Size}).");
            }

            if (!Shuffled)
            {
                return position;
            }

            var value = (ulong)position;
            do
            {
                value = Encrypt(value);
            }
            while (value >= (ulong)Size);
            return (long)value;
        }
    }

    private ulong Encrypt(ulong value)
    {
        var left = value >> _half;
        var right = value & _mask;
        Round(ref left, ref right, _k0);
        Round(ref left, ref right, _k1);
        Round(ref left, ref right, _k2);
        Round(ref left, ref right, _k3);
        Round(ref left, ref right, _k4);
        Round(ref left, ref right, _k5);
        return (left << _half) | right;
    }

    private void Round(ref ulong left, ref ulong right, ulong key)
    {
        var next = left ^ (Mix(right ^ key) & _mask);
        left = right;
        right = next;
    }

    // SplitMix64 (Steele, Lea, Flood 2014): the generator's step and its finalizer.
    private static ulong Next(ref ulong state)
    {
        state = unchecked(state + 0x9E3779B97F4A7C15UL);
        return Mix(state);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
