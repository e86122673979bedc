namespace DistTrain.Coordinator.Tests.Support;

/// <summary>Waits for a condition by polling it, instead of sleeping for a guessed time.</summary>
internal static class Polling
{
    /// <summary>Returns once <paramref name="condition"/> holds; fails with <paramref name="what"/> if it does not within 30 s.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            try
            {
                await Task.Delay(10, limit.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Still waiting after 30 s for {what}.");
            }
        }
    }
}
