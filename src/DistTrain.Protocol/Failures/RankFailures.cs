using DistTrain.Protocol.V1;

namespace DistTrain.Protocol.Failures;

/// <summary>Builds a rank's last words (<see cref="RankFailure"/>) from the exception it dies of.</summary>
public static class RankFailures
{
    /// <summary>
    /// The failure of <paramref name="identity"/> at <paramref name="time"/>, after <paramref name="step"/>
    /// steps, in or after <paramref name="collective"/> (null: none issued). The type and message are the
    /// innermost cause's (what went wrong), followed by the outermost exception's where they differ (how it
    /// surfaced); the stack trace is the whole chain as .NET prints it.
    /// </summary>
    public static RankFailure FromException(Exception exception, RankIdentity identity, long step, CollectiveProgress? collective, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(identity);
        var cause = Innermost(exception);
        var message = ReferenceEquals(cause, exception)
            ? exception.Message
            : $"{cause.Message} (surfaced as {exception.GetType().FullName}: {exception.Message})";
        return new RankFailure
        {
            Identity = identity,
            UnixMs = time.ToUnixTimeMilliseconds(),
            Step = step,
            Collective = collective ?? new CollectiveProgress(),
            ExceptionType = cause.GetType().FullName ?? cause.GetType().Name,
            Message = message,
            StackTrace = exception.ToString(),
        };
    }

    // Wrappers (TargetInvocationException, TypeInitializationException, an AggregateException of one) hide the cause.
    private static Exception Innermost(Exception exception)
    {
        var current = exception;
        while (true)
        {
            var next = current is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : current.InnerException;
            if (next is null)
                return current;
            current = next;
        }
    }
}
