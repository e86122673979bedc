using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DistTrain.Tests.Shared;

/// <summary>
/// Debian's <c>chromium</c>, headless, driven over the DevTools protocol (one WebSocket to its first
/// page): navigate, evaluate JavaScript, wait for a condition, take a screenshot. Disposing kills it
/// and removes its profile.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket;
    private int _nextId;

    private HeadlessChromium(Process process, string profile, ClientWebSocket socket)
    {
        _process = process;
        _profile = profile;
        _socket = socket;
    }

    /// <summary>Chromium's path, or null when it is not installed (scripts/setup.sh installs it).</summary>
    public static string? Executable { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Where tests keep their screenshots: <c>artifacts/test-results/screenshots/</c> of the checkout.</summary>
    public static string ScreenshotDirectory => Directory.CreateDirectory(RepoPaths.Of("artifacts/test-results/screenshots")).FullName;

    /// <summary>Starts Chromium (a 1400×1600 window, a profile of its own) and connects to its page.</summary>
    /// <exception cref="InvalidOperationException">Chromium is not installed, or did not open its DevTools port within 60 s.</exception>
    public static async Task<HeadlessChromium> StartAsync()
    {
        var executable = Executable ?? throw new InvalidOperationException("Chromium is not installed: run scripts/setup.sh (it installs Debian's chromium).");
        var profile = Directory.CreateTempSubdirectory("disttrain-chromium-").FullName;
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                     "--disable-extensions", "--disable-background-networking", "--window-size=1400,1600",
                     "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var port = await ReadDevToolsPortAsync(profile, process);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")))!.AsArray();
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
            return new HeadlessChromium(process, profile, socket);
        }
        catch
        {
            Kill(process);
            process.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>Opens <paramref name="url"/> in the page.</summary>
    public Task NavigateAsync(Uri url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });

    /// <summary>Evaluates <paramref name="expression"/> in the page and returns its value as JSON (null for undefined).</summary>
    /// <exception cref="InvalidOperationException">The expression threw; the message has the page's exception.</exception>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var reply = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (reply["exceptionDetails"] is { } exception)
            throw new InvalidOperationException($"The page threw evaluating `{expression}`: {exception.ToJsonString()}");
        return reply["result"]?["value"];
    }

    /// <summary>Evaluates <paramref name="expression"/> as a string (empty for null or undefined).</summary>
    public async Task<string> TextAsync(string expression) => (await EvaluateAsync(expression))?.ToString() ?? "";

    /// <summary>
    /// Evaluates <paramref name="condition"/> every 200 ms until it is true; false when
    /// <paramref name="timeout"/> passed first (the caller's assertion then says what it waited for).
    /// </summary>
    public async Task<bool> WaitForAsync(string condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await EvaluateAsync($"Boolean({condition})"))?.GetValue<bool>() == true)
                return true;
            await Task.Delay(200);
        }

        return false;
    }

    /// <summary>Writes a PNG of the whole page to <paramref name="path"/>.</summary>
    public async Task ScreenshotAsync(string path)
    {
        var reply = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)reply["data"]!));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        Kill(_process);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // One command at a time: send it, then read messages (skipping events) until its reply.
    private async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        var id = ++_nextId;
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = JsonNode.Parse(await ReceiveAsync(timeout.Token))!;
            if ((int?)message["id"] != id)
                continue;
            if (message["error"] is { } error)
                throw new InvalidOperationException($"Chromium refused {method}: {error.ToJsonString()}");
            return message["result"]!;
        }
    }

    private async Task<string> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var part = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (part.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException("Chromium closed the DevTools connection.");
            message.Write(buffer, 0, part.Count);
            if (part.EndOfMessage)
                return Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
        }
    }

    // Chromium writes the port it chose into the profile's DevToolsActivePort (first line).
    private static async Task<int> ReadDevToolsPortAsync(string profile, Process process)
    {
        var file = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"Chromium exited ({process.ExitCode}) before opening its DevTools port.");
            if (File.Exists(file) && File.ReadAllLines(file) is [var first, ..] && int.TryParse(first, out var port))
                return port;
            await Task.Delay(100);
        }

        throw new InvalidOperationException($"Chromium did not write {file} within {StartTimeout.TotalSeconds} s.");
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }
}
