using DistTrain.Protocol.Failures;
using DistTrain.Protocol.V1;

namespace DistTrain.Coordinator.Tests.Protocol;

/// <summary>The worker's error file: written whole, read back equal, and a file that is not one is named with what is wrong.</summary>
public sealed class ErrorFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("disttrain-errorfile-").FullName;

    [Fact]
    public void A_written_error_file_reads_back_as_the_same_failure_and_creates_its_folder()
    {
        var failure = Failure();
        var path = Path.Combine(_folder, "attempt_0", "rank_1", "error.json");

        ErrorFile.Write(path, failure);

        Assert.Equal(failure, ErrorFile.Read(path));
        Assert.Equal(["error.json"], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        // JSON a person (or Python) can read: protobuf's names, the step as a string.
        var text = File.ReadAllText(path);
        Assert.Contains("\"exceptionType\": \"System.InvalidOperationException\"", text, StringComparison.Ordinal);
        Assert.Contains("\"step\": \"7\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_error_file_is_no_last_words()
    {
        Assert.Null(ErrorFile.Read(Path.Combine(_folder, "nothing", "error.json")));
    }

    [Theory]
    [InlineData("{\"identity\": {\"rank\": 1}, \"exceptionType\": \"X\", \"step\": ", "is not valid JSON")]
    [InlineData("{\"hello\": \"world\"}", "has no identity or no exceptionType")]
    public void A_file_that_is_not_an_error_file_is_refused_naming_the_file_and_what_is_wrong(string content, string problem)
    {
        var path = Path.Combine(_folder, "error.json");
        File.WriteAllText(path, content);

        var error = Assert.Throws<ErrorFileException>(() => ErrorFile.Read(path));

        Assert.Equal(path, error.Path);
        Assert.Contains($"The error file {path} ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_failure_of_a_wrapped_exception_names_the_innermost_cause_first_and_keeps_the_whole_chain()
    {
        Exception thrown;
        try
        {
            try
            {
                throw new InvalidOperationException("the loss became NaN");
            }
            catch (InvalidOperationException inner)
            {
                throw new AggregateException("one or more errors", new ApplicationException("step 7 failed", inner));
            }
        }
        catch (AggregateException e)
        {
            thrown = e;
        }

        var identity = new RankIdentity { Rank = 1, Host = "h", Pid = 42 };
        var collective = new CollectiveProgress { Sequence = 9, Name = "all_reduce", Waiting = true };
        var failure = RankFailures.FromException(thrown, identity, 7, collective, DateTimeOffset.FromUnixTimeMilliseconds(1_000));

        Assert.Equal("System.InvalidOperationException", failure.ExceptionType);
        Assert.Equal("the loss became NaN (surfaced as System.AggregateException: one or more errors (step 7 failed))", failure.Message);
        Assert.Contains("System.ApplicationException: step 7 failed", failure.StackTrace, StringComparison.Ordinal);
        Assert.Contains(nameof(The_failure_of_a_wrapped_exception_names_the_innermost_cause_first_and_keeps_the_whole_chain), failure.StackTrace, StringComparison.Ordinal);
        Assert.Equal((7L, 1_000L, "all_reduce", 42), (failure.Step, failure.UnixMs, failure.Collective.Name, failure.Identity.Pid));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static RankFailure Failure() => new()
    {
        Identity = new RankIdentity { Rank = 1, Round = 2, Host = "box", Pid = 1234, LocalRank = 1, WorldSize = 2 },
        UnixMs = 1_780_000_000_123,
        Step = 7,
        Collective = new CollectiveProgress { Sequence = 8, Name = "all_reduce" },
        ExceptionType = "System.InvalidOperationException",
        Message = "rank 1 gives up at step 7",
        StackTrace = "System.InvalidOperationException: rank 1 gives up at step 7\n   at A.B()",
    };
}
