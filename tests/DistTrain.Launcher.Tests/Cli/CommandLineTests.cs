using DistTrain.Tests.Shared;
using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Cli;

/// <summary>The real <c>disttrain</c> executable's command line.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_unknown_flag_exits_with_2_and_a_clear_message()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--nproc-per-nod", "2", "--", "true"], Generous);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--nproc-per-nod", run.Stderr);
        Assert.Contains("See 'disttrain run --help'.", run.Stderr);
    }

    [Fact]
    public async Task A_bad_value_from_a_variable_exits_with_2_naming_the_variable()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--", "true"], Generous, new Dictionary<string, string?> { ["DISTTRAIN_NNODES"] = "two" });

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--nnodes ('two', from DISTTRAIN_NNODES) must be N or MIN:MAX", run.Stderr);
    }

    [Fact]
    public async Task Help_lists_torchrun_flags_with_their_variables()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--help"], Generous);

        Assert.Equal(0, run.ExitCode);
        foreach (var flag in new[] { "--nproc-per-node", "--nnodes", "--node-rank", "--rdzv-endpoint", "--rdzv-id", "--standalone", "--max-restarts", "--monitor-interval", "--log-dir", "--tee" })
        {
            Assert.Contains(flag, run.Stdout);
        }

        Assert.Contains("[env: DISTTRAIN_NPROC_PER_NODE]", run.Stdout);
    }

    [Fact]
    public async Task A_missing_program_is_a_preflight_failure_before_any_worker_starts()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--standalone", "--", "/no/such/program"], Generous);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("preflight failed, no worker was started", run.Stderr);
        Assert.Contains("'/no/such/program' does not exist", run.Stderr);
    }

    [Fact]
    public async Task One_worker_per_GPU_without_GPUs_is_refused_with_what_to_do()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--standalone", "--nproc-per-node", "gpu", "--", "true"], Generous, new Dictionary<string, string?> { ["CUDA_VISIBLE_DEVICES"] = "" });

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("--nproc-per-node gpu asks for one worker per GPU, but this node has none", run.Stderr);
    }

    [Fact]
    public async Task An_unreachable_coordinator_is_reported_before_any_worker_starts()
    {
        using var run = await LauncherProcess.RunAsync(
            ["run", "--rdzv-endpoint", $"127.0.0.1:{TestPorts.Free()}", "--coordinator", "connect", "--rdzv-timeout", "2", "--token", "some-token", "--", LauncherProcess.Worker, "ok"], Generous);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("cannot be reached after 2 s", run.Stderr);
        Assert.DoesNotContain("[rank", run.Stdout);
    }

    [Fact]
    public async Task A_job_without_a_token_outside_standalone_is_refused()
    {
        using var run = await LauncherProcess.RunAsync(["run", "--nnodes", "2", "--", "true"], Generous);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("DISTTRAIN_TOKEN", run.Stderr);
    }
}
