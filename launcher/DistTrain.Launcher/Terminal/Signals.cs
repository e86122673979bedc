using System.Runtime.InteropServices;

namespace DistTrain.Launcher.Terminal;

/// <summary>Signal numbers, their names, and kill(2) for sending them to workers' process groups.</summary>
internal static class Signals
{
    /// <summary>SIGINT's number on Linux.</summary>
    public const int SigInt = 2;

    /// <summary>SIGKILL's number.</summary>
    public const int SigKill = 9;

    /// <summary>SIGUSR1's number on Linux (x86-64 and arm64).</summary>
    public const int SigUsr1 = 10;

    /// <summary>SIGTERM's number.</summary>
    public const int SigTerm = 15;

    /// <summary>kill(2): sends <paramref name="signal"/> to a process, or to a process group when <paramref name="pid"/> is negative.</summary>
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    /// <summary>The usual name of a signal number.</summary>
    public static string Name(int signal) => signal switch
    {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        10 => "SIGUSR1",
        11 => "SIGSEGV",
        12 => "SIGUSR2",
        13 => "SIGPIPE",
        14 => "SIGALRM",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };
}
