using Microsoft.Extensions.Logging;

namespace DistTrain.Distributed.Tests.Checkpoints;

/// <summary>Keeps every line logged to it, with its level.</summary>
internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Lines { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines)
            Lines.Add((logLevel, formatter(state, exception)));
    }
}
