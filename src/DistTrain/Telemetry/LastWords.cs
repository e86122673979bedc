using System.Net;
using DistTrain.Protocol;
using DistTrain.Protocol.Failures;
using DistTrain.Protocol.Launch;
using DistTrain.Protocol.V1;
using Grpc.Core;

namespace DistTrain.Telemetry;

/// <summary>
/// A worker's last words, torchrun's <c>@record</c> without the decorator: when the program dies of an
/// exception, what it was (type, message, stack), where training was (the last step, the last
/// collective) and who died (rank, round, host, pid) go to the error file the launcher named
/// (<c>DISTTRAIN_ERROR_FILE</c>) and to the coordinator (<c>ReportFailure</c>), so that the run's summary
/// and the dashboard name the first failure. <see cref="Distributed.DistributedContext.Initialize(Distributed.DistributedOptions?)"/>
/// installs the handler for unhandled exceptions; a program that catches its exceptions at the top and
/// returns an exit code calls <see cref="Record"/> in that catch.
/// </summary>
public static class LastWords
{
    /// <summary>How long the report to the coordinator may take at most: a dying process must not hang on it.</summary>
    public static readonly TimeSpan ReportTimeout = TimeSpan.FromSeconds(3);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Exception, Thrown> ThrownAt = [];
    private static int _recorded;
    private static int _installed;
    [ThreadStatic]
    private static bool _noting;

    /// <summary>
    /// Records <paramref name="exception"/> as this process's last words: writes the error file (when
    /// <c>DISTTRAIN_ERROR_FILE</c> is set) and reports it to the coordinator (when the launch environment
    /// names one; waits at most <see cref="ReportTimeout"/>). Only the first call of a process records;
    /// it never throws: what could not be done is said in one line on standard error.
    /// </summary>
    /// <returns>Whether this call recorded (false: an earlier one did).</returns>
    public static bool Record(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Interlocked.Exchange(ref _recorded, 1) != 0)
            return false;

        LaunchIdentity? launch = null;
        try
        {
            launch = LaunchIdentityReader.Read(Environment.GetEnvironmentVariable);
        }
        catch (LaunchVariableException)
        {
            // Not started by disttrain run (or a broken environment, which Initialize reports): the file may still be named.
        }

        // When and where it was thrown, if the handler saw it: by the time a catch at the top records it, the
        // process group was disposed on the way out and the other ranks may have failed (and recorded) already.
        var thrown = ThrownAt.TryGetValue(exception, out var t) ? t : new Thrown(DateTimeOffset.UtcNow, TrainingPosition.Step, TrainingPosition.Collective);
        var failure = RankFailures.FromException(exception, Identity(launch), thrown.Step, thrown.Collective, thrown.Time);
        var path = Environment.GetEnvironmentVariable(LaunchVariables.ErrorFile.Name);
        if (!string.IsNullOrEmpty(path))
        {
            try
            {
                ErrorFile.Write(path, failure);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"[disttrain] could not write the error file {path} ({LaunchVariables.ErrorFile.Name}): {e.Message}");
            }
        }

        if (launch is not null)
            Report(launch, failure);
        return true;
    }

    /// <summary>
    /// Makes an unhandled exception of any thread record its last words before the runtime ends the
    /// process, and notes when each exception is thrown (and the step and collective then), so that
    /// <see cref="Record"/> tells the moment of the failure, not of its recording. Idempotent.
    /// </summary>
    internal static void InstallUnhandledExceptionHandler()
    {
        if (Interlocked.Exchange(ref _installed, 1) != 0)
            return;

        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            // An exception thrown in here would come back here: note nothing while noting.
            if (_noting)
                return;
            _noting = true;
            try
            {
                ThrownAt.TryAdd(e.Exception, new Thrown(DateTimeOffset.UtcNow, TrainingPosition.Step, TrainingPosition.Collective));
            }
            finally
            {
                _noting = false;
            }
        };
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (e.ExceptionObject is Exception exception)
                Record(exception);
        };
    }

    private static void Report(LaunchIdentity launch, RankFailure failure)
    {
        try
        {
            using var client = new CoordinatorClient(launch.Coordinator.ToString(), launch.JobToken);
            var stub = new Coordinator.CoordinatorClient(client.CallInvoker);
            stub.ReportFailure(new ReportFailureRequest { Failure = failure }, deadline: DateTime.UtcNow + ReportTimeout);
        }
        catch (RpcException e)
        {
            Console.Error.WriteLine($"[disttrain] could not report this failure to the coordinator at {launch.Coordinator} ({e.StatusCode}: {e.Status.Detail}); the error file has it.");
        }
    }

    private static RankIdentity Identity(LaunchIdentity? launch) => new()
    {
        Rank = launch?.Rank ?? 0,
        Round = launch?.Round ?? 0,
        Host = Dns.GetHostName(),
        Pid = Environment.ProcessId,
        LocalRank = launch?.LocalRank ?? 0,
        WorldSize = launch?.WorldSize ?? 0,
    };

    private sealed record Thrown(DateTimeOffset Time, long Step, CollectiveProgress? Collective);
}
