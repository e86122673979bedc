using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>A logger that keeps every entry with its structured fields, for tests of what a person reading the log sees.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    public IReadOnlyList<Entry> Entries
    {
        get { lock (_lock) { return [.. _entries]; } }
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_lock)
        {
            _entries.Add(new Entry(logLevel, formatter(state, exception), fields.ToDictionary(f => f.Key, f => f.Value)));
        }
    }

    public sealed record Entry(LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Fields);
}
