using System.Runtime.InteropServices;

namespace DistTrain.Runtime;

/// <summary>
/// Stops this worker when the agent that started it (<c>DISTTRAIN_AGENT_PID</c>) is gone. An agent killed
/// with SIGKILL cannot stop its workers, and without this they would train on to the end of the job with
/// nobody to restart them, holding their cores or GPU while a restarted agent starts a second set.
/// </summary>
internal static partial class AgentWatch
{
    private const int SysPidfdOpen = 434; // the same number on x86-64 and arm64
    private const short PollIn = 0x1;
    private const int Esrch = 3, Eintr = 4, Eperm = 1;
    private const int SigKill = 9;
    private static int _started;

    /// <summary>Starts watching <paramref name="agentPid"/> on a background thread, once per process.</summary>
    public static void Start(int agentPid, int rank)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
            return;
        new Thread(() => StopWhenGone(agentPid, rank)) { IsBackground = true, Name = "DistTrain agent watch" }.Start();
    }

    private static void StopWhenGone(int agentPid, int rank)
    {
        WaitUntilGone(agentPid);
        var pid = Environment.ProcessId;
        var leader = getpgrp() == pid;
        // The launcher starts each worker through setsid, so a worker that leads its process group also
        // takes down whatever it started; one that does not (a wrapper script leads) stops only itself.
        Console.Error.WriteLine(
            $"disttrain worker (rank {rank}, pid {pid}): the agent that started it (pid {agentPid}) is gone; stopping " +
            $"{(leader ? "this worker's process group" : "this worker")} with SIGKILL, since no agent is left to restart it or collect its result.");
        Console.Error.Flush();
        _ = kill(leader ? -pid : pid, SigKill);
    }

    private static void WaitUntilGone(int pid)
    {
        var fd = (int)syscall(SysPidfdOpen, pid, 0);
        if (fd >= 0)
        {
            try
            {
                var entry = new PollFd { Fd = fd, Events = PollIn };
                while (poll(ref entry, 1, -1) < 0 && Marshal.GetLastPInvokeError() == Eintr)
                {
                }
            }
            finally
            {
                _ = close(fd);
            }

            return;
        }

        if (Marshal.GetLastPInvokeError() == Esrch)
            return;

        // No pidfd (a kernel before 5.3): ask once a second whether the process exists.
        while (kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == Eperm)
            Thread.Sleep(1000);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, int pid, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(ref PollFd fds, ulong count, int timeoutMs);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static partial int getpgrp();
}
