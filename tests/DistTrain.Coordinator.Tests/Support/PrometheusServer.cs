using DistTrain.Tests.Shared;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace DistTrain.Coordinator.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c> package) with a generated configuration that scrapes one
/// target every second, its data in a temporary directory; queried through its HTTP API. Disposing kills it
/// and removes the directory.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    public const string Executable = "/usr/bin/prometheus";

    private readonly Process _process;
    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false });

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    /// <summary>Its HTTP API, for example <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Address { get; }

    /// <summary>What Prometheus logged so far (for failure messages).</summary>
    public string Log
    {
        get { lock (_log) { return _log.ToString(); } }
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) at <paramref name="metricsPath"/> every second.</summary>
    public static PrometheusServer Start(string target, string metricsPath = "/metrics")
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"The Prometheus test needs {Executable} (Debian's prometheus package; scripts/setup.sh installs it).");
        }

        var directory = Directory.CreateTempSubdirectory("disttrain-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: disttrain
                metrics_path: {metricsPath}
                static_configs:
                  - targets: ['{target}']
            """);
        var port = TestPorts.Free();
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Runs an instant query until it returns a sample and returns that sample's value; fails with the
    /// query, Prometheus' last answer and its log when none comes within 60 s.
    /// </summary>
    public async Task<double> QueryUntilFoundAsync(string query)
    {
        var uri = new Uri(Address, "api/v1/query?query=" + Uri.EscapeDataString(query));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "no answer yet";
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"Prometheus exited with {_process.ExitCode}. Its log:\n{Log}");
            }

            try
            {
                last = await _http.GetStringAsync(uri);
                using var answer = JsonDocument.Parse(last);
                var result = answer.RootElement.GetProperty("data").GetProperty("result");
                if (result.GetArrayLength() > 0)
                {
                    // A sample is [unix time, "value"].
                    return double.Parse(result[0].GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(250);
        }

        Assert.Fail($"Prometheus returned no sample for {query} within 60 s. Its last answer: {last}\nIts log:\n{Log}");
        return double.NaN;
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // It had exited.
        }

        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

}
