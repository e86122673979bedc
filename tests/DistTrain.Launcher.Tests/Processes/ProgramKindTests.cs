using DistTrain.Launcher.Tests.Support;

namespace DistTrain.Launcher.Tests.Processes;

/// <summary>The three kinds of program after <c>--</c>: a command (the other tests), a project directory and a .dll.</summary>
public sealed class ProgramKindTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(300);

    [Fact]
    public async Task A_project_directory_is_built_once_and_its_dll_runs_on_every_worker()
    {
        using var dir = new TempDirectory();
        var project = Path.Combine(dir.Path, "Hello");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "Hello.csproj"),
            "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(project, "Program.cs"),
            "System.Console.WriteLine($\"hello from rank {System.Environment.GetEnvironmentVariable(\"RANK\")} args {string.Join(',', args)}\");");

        using var fromProject = await LauncherProcess.RunAsync(["run", "--standalone", "--nproc-per-node", "2", "--", project, "a", "b"], Generous);

        Assert.True(fromProject.ExitCode == 0, fromProject.Output);
        Assert.Single(fromProject.Stderr.Split('\n'), l => l.Contains("Building", StringComparison.Ordinal));
        Assert.Contains("[rank0]: hello from rank 0 args a,b", fromProject.Stdout);
        Assert.Contains("[rank1]: hello from rank 1 args a,b", fromProject.Stdout);

        var dll = Path.Combine(project, "bin", "Release", "net10.0", "Hello.dll");
        using var fromDll = await LauncherProcess.RunAsync(["run", "--standalone", "--nproc-per-node", "2", "--", dll, "c"], Generous);

        Assert.True(fromDll.ExitCode == 0, fromDll.Output);
        Assert.DoesNotContain("Building", fromDll.Stderr);
        Assert.Contains("[rank1]: hello from rank 1 args c", fromDll.Stdout);
    }
}
