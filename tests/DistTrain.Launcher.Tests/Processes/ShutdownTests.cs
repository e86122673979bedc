using DistTrain.Tests.Shared;
using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>An orderly end of the job: what the agents cancel themselves while shutting down is never a failure.</summary>
public sealed class ShutdownTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Two_agents_whose_workers_exit_at_once_both_exit_0_without_an_unhandled_exception()
    {
        // Workers that end at once stop each agent's heartbeats and watch while their calls are in
        // flight; several pairs make the race all but certain to show if it is there.
        for (var pair = 0; pair < 3; pair++)
        {
            var endpoint = $"127.0.0.1:{TestPorts.Free()}";
            string[] args = ["run", "--nnodes", "2", "--rdzv-endpoint", endpoint, "--token", "abcdefgh12345", "--", "/bin/true"];

            using var first = LauncherProcess.Start(args);
            using var second = LauncherProcess.Start(args);
            var codes = await Task.WhenAll(first.WaitAsync(Limit), second.WaitAsync(Limit));

            var output = $"pair {pair}\n{first.Output}\n{second.Output}";
            Assert.True(codes.All(c => c == 0), output);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Cancelled", output, StringComparison.Ordinal);
            Assert.All(new[] { first, second }, a => Assert.Contains("finished: all 2 ranks exited with 0", a.Output, StringComparison.Ordinal));
        }
    }
}
