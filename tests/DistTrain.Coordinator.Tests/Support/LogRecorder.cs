using Microsoft.Extensions.Logging;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>A logger provider that keeps every entry of every category, with its exception.</summary>
internal sealed class LogRecorder : ILoggerProvider
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    public IReadOnlyList<Entry> Entries
    {
        get { lock (_lock) { return [.. _entries]; } }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception);

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (recorder._lock)
            {
                recorder._entries.Add(new Entry(category, logLevel, formatter(state, exception), exception));
            }
        }
    }
}
