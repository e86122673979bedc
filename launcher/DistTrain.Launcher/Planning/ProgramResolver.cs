using System.Diagnostics;
using DistTrain.Launcher.Detection;
using DistTrain.Launcher.Workers;

namespace DistTrain.Launcher.Planning;

/// <summary>Finds what each worker runs from what follows <c>--</c>, building a project once.</summary>
public static class ProgramResolver
{
    /// <summary>
    /// Resolves what follows <c>--</c>: a <c>.dll</c> runs with <c>dotnet</c>; a project directory or
    /// <c>.csproj</c> is built once (Release) and its output runs with <c>dotnet</c>; anything else is a
    /// command, found on <c>PATH</c> unless it names a path.
    /// </summary>
    /// <exception cref="PreflightException">The program does not exist, or its project does not build.</exception>
    public static async Task<WorkerProgram> ResolveAsync(
        string program, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, Action<string> log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(log);
        if (program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            if (!File.Exists(program))
            {
                throw new PreflightException($"The program '{program}' does not exist (a .dll runs with dotnet). Build it first, or check the path from {Environment.CurrentDirectory}.");
            }

            return new WorkerProgram(Dotnet(environment), [Path.GetFullPath(program), .. arguments], program);
        }

        var project = ProjectFile(program);
        if (project is not null)
        {
            var dll = await BuildAsync(project, environment, log, cancellationToken).ConfigureAwait(false);
            return new WorkerProgram(Dotnet(environment), [dll, .. arguments], program);
        }

        if (Directory.Exists(program))
        {
            throw new PreflightException($"The program '{program}' is a directory without exactly one project file (*.csproj); name the project file or a built .dll.");
        }

        var found = ExecutableSearch.Find(program, environment)
            ?? throw new PreflightException(program.Contains('/', StringComparison.Ordinal)
                ? $"The program '{program}' does not exist or is not executable (chmod +x it, or run it through its interpreter)."
                : $"The program '{program}' is not on PATH. Give its path, a .dll, or a project directory.");
        return new WorkerProgram(found, arguments, program);
    }

    private static string? ProjectFile(string program)
    {
        if (program.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) || program.EndsWith(".fsproj", StringComparison.OrdinalIgnoreCase))
        {
            return File.Exists(program) ? Path.GetFullPath(program) : throw new PreflightException($"The project '{program}' does not exist.");
        }

        if (!Directory.Exists(program))
        {
            return null;
        }

        var projects = Directory.GetFiles(program, "*.csproj").Concat(Directory.GetFiles(program, "*.fsproj")).ToArray();
        return projects.Length == 1 ? Path.GetFullPath(projects[0]) : null;
    }

    private static string Dotnet(IReadOnlyDictionary<string, string> environment) =>
        environment.GetValueOrDefault("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : ExecutableSearch.Find("dotnet", environment) ?? throw new PreflightException("dotnet is not on PATH; it is needed to run a .dll or a project.");

    /// <summary>Builds <paramref name="project"/> once (Release) and returns the path of its output assembly.</summary>
    private static async Task<string> BuildAsync(string project, IReadOnlyDictionary<string, string> environment, Action<string> log, CancellationToken cancellationToken)
    {
        var dotnet = Dotnet(environment);
        log($"Building {project} (Release) once for every worker...");
        var (code, output) = await RunAsync(dotnet, ["build", project, "-c", "Release", "-nologo", "-v", "q", "-clp:ErrorsOnly"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new PreflightException($"Building {project} failed (exit code {code}):\n{output.Trim()}");
        }

        (code, output) = await RunAsync(dotnet, ["msbuild", project, "-getProperty:TargetPath", "-p:Configuration=Release", "-nologo"], cancellationToken).ConfigureAwait(false);
        var dll = output.Trim();
        if (code != 0 || !File.Exists(dll))
        {
            throw new PreflightException($"Could not find the output of {project} ('{dll}'); run it as a .dll instead.");
        }

        return dll;
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new PreflightException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false));
    }
}
