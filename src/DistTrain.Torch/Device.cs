namespace DistTrain.Torch;

/// <summary>Kinds of device, numbered as libtorch's c10::DeviceType.</summary>
public enum DeviceType : int
{
    CPU = 0,
    CUDA = 1,
}

public static partial class torch
{
    /// <summary>A device a tensor lives on: a type and, for CUDA, an index (-1 means the current one).</summary>
    public sealed record Device(DeviceType type, int index = -1)
    {
        /// <summary>Parses "cpu", "cuda" or "cuda:N".</summary>
        public Device(string description) : this(Parse(description).type, Parse(description).index) { }

        private static (DeviceType type, int index) Parse(string description)
        {
            var parts = description.Trim().ToLowerInvariant().Split(':');
            var type = parts[0] switch
            {
                "cpu" => DeviceType.CPU,
                "cuda" => DeviceType.CUDA,
                _ => throw new ArgumentException($"Unknown device '{description}': expected 'cpu', 'cuda' or 'cuda:N'.", nameof(description)),
            };
            if (parts.Length == 1) return (type, -1);
            if (parts.Length == 2 && int.TryParse(parts[1], out var index) && index >= 0) return (type, index);
            throw new ArgumentException($"Malformed device '{description}': expected 'cpu', 'cuda' or 'cuda:N'.", nameof(description));
        }

        /// <inheritdoc />
        public override string ToString() =>
            type == DeviceType.CPU ? "cpu" : index < 0 ? "cuda" : $"cuda:{index}";
    }

    /// <summary>The CPU.</summary>
    public static readonly Device CPU = new(DeviceType.CPU);

    /// <summary>CUDA device <paramref name="index"/>.</summary>
    public static Device CUDA(int index = -1) => new(DeviceType.CUDA, index);

    /// <summary>A device from its description: "cpu", "cuda" or "cuda:N".</summary>
    public static Device device(string description) => new(description);
}
