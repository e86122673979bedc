using System.Text;
using DistTrain.Coordinator.Store;
using DistTrain.Coordinator.Tests.Support;

namespace DistTrain.Coordinator.Tests.Store;

public sealed class KeyValueStoreTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly KeyValueStore _store;

    public KeyValueStoreTests() => _store = new KeyValueStore("round-1", _time);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public async Task Get_returns_the_value_that_was_set()
    {
        _store.Set("addr", Bytes("10.0.0.1:29500"));

        var value = await _store.GetAsync("addr", TimeSpan.Zero);

        Assert.Equal("10.0.0.1:29500", Text(value));
    }

    [Fact]
    public async Task Get_waits_until_the_key_is_set()
    {
        var get = _store.GetAsync("late", TimeSpan.FromSeconds(30));
        Assert.False(get.IsCompleted);

        _store.Set("late", Bytes("here"));

        Assert.Equal("here", Text(await get.WaitAsync(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public async Task Get_times_out_with_an_error_naming_the_key_and_removes_its_waiter()
    {
        var get = _store.GetAsync("never", TimeSpan.FromSeconds(10));
        Assert.Equal(1, _store.WaiterCount);

        _time.Advance(TimeSpan.FromSeconds(10));

        var error = await Assert.ThrowsAsync<StoreTimeoutException>(() => get);
        Assert.Contains("'never'", error.Message);
        Assert.Contains("10000 ms", error.Message);
        Assert.Equal(["never"], error.MissingKeys);
        Assert.Equal(0, _store.WaiterCount);
    }

    [Fact]
    public async Task Get_with_zero_timeout_fails_at_once_for_a_missing_key()
    {
        await Assert.ThrowsAsync<StoreTimeoutException>(() => _store.GetAsync("missing", TimeSpan.Zero));
    }

    [Fact]
    public async Task Cancelled_get_throws_and_removes_its_waiter()
    {
        using var cts = new CancellationTokenSource();
        var get = _store.GetAsync("k", TimeSpan.FromSeconds(30), cts.Token);

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => get);
        Assert.Equal(0, _store.WaiterCount);
    }

    [Fact]
    public async Task Add_creates_the_key_at_zero_and_stores_decimal_text()
    {
        Assert.Equal(5, _store.Add("counter", 5));
        Assert.Equal(3, _store.Add("counter", -2));

        Assert.Equal("3", Text(await _store.GetAsync("counter", TimeSpan.Zero)));
    }

    [Fact]
    public void Add_continues_from_a_decimal_value_set_as_bytes()
    {
        _store.Set("n", Bytes("41"));

        Assert.Equal(42, _store.Add("n", 1));
    }

    [Fact]
    public void Add_to_a_non_integer_value_fails_with_a_clear_message()
    {
        _store.Set("name", Bytes("alice"));

        var error = Assert.Throws<StoreValueException>(() => _store.Add("name", 1));
        Assert.Contains("'name'", error.Message);
        Assert.Contains("not a decimal integer", error.Message);
    }

    [Fact]
    public void Add_that_overflows_fails_and_keeps_the_value()
    {
        _store.Add("big", long.MaxValue);

        Assert.Throws<StoreValueException>(() => _store.Add("big", 1));
        Assert.Equal(long.MaxValue, _store.Add("big", 0));
    }

    [Fact]
    public async Task Concurrent_adds_are_atomic()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                _store.Add("c", 1);
            }
        })));

        Assert.Equal(8000, _store.Add("c", 0));
    }

    [Fact]
    public void CompareSet_swaps_when_the_value_matches()
    {
        _store.Set("k", Bytes("old"));

        var result = _store.CompareSet("k", Bytes("old"), Bytes("new"));

        Assert.True(result.Swapped);
        Assert.Equal("new", Text(result.Value));
    }

    [Fact]
    public void CompareSet_keeps_the_value_and_returns_it_when_it_differs()
    {
        _store.Set("k", Bytes("actual"));

        var result = _store.CompareSet("k", Bytes("guess"), Bytes("new"));

        Assert.False(result.Swapped);
        Assert.True(result.Exists);
        Assert.Equal("actual", Text(result.Value));
    }

    [Fact]
    public void CompareSet_creates_a_missing_key_when_expected_is_empty()
    {
        var result = _store.CompareSet("fresh", [], Bytes("v"));

        Assert.True(result.Swapped);
        Assert.True(_store.Check(["fresh"]));
    }

    [Fact]
    public void CompareSet_on_a_missing_key_with_an_expectation_stores_nothing()
    {
        var result = _store.CompareSet("absent", Bytes("x"), Bytes("v"));

        Assert.False(result.Swapped);
        Assert.False(result.Exists);
        Assert.Equal(0, _store.Count);
    }

    [Fact]
    public async Task CompareSet_wakes_a_waiting_get()
    {
        var get = _store.GetAsync("k", TimeSpan.FromSeconds(30));

        _store.CompareSet("k", [], Bytes("v"));

        Assert.Equal("v", Text(await get.WaitAsync(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public void Delete_says_whether_the_key_existed()
    {
        _store.Set("k", Bytes("v"));

        Assert.True(_store.Delete("k"));
        Assert.False(_store.Delete("k"));
        Assert.False(_store.Check(["k"]));
    }

    [Fact]
    public void Check_is_true_only_when_every_key_exists()
    {
        _store.Set("a", Bytes("1"));

        Assert.False(_store.Check(["a", "b"]));
        _store.Set("b", Bytes("2"));
        Assert.True(_store.Check(["a", "b"]));
    }

    [Fact]
    public async Task Wait_completes_only_when_the_last_key_is_set()
    {
        var wait = _store.WaitAsync(["a", "b", "c"], TimeSpan.FromSeconds(30));
        _store.Set("a", Bytes("1"));
        _store.Set("b", Bytes("2"));
        Assert.False(wait.IsCompleted);

        _store.Set("c", Bytes("3"));

        await wait.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Wait_times_out_naming_only_the_missing_keys()
    {
        var wait = _store.WaitAsync(["a", "b"], TimeSpan.FromSeconds(2));
        _store.Set("a", Bytes("1"));

        _time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<StoreTimeoutException>(() => wait);
        Assert.Equal(["b"], error.MissingKeys);
        Assert.Equal(0, _store.WaiterCount);
    }

    [Fact]
    public void Count_counts_the_keys()
    {
        _store.Set("a", Bytes("1"));
        _store.Add("b", 1);
        _store.Delete("a");

        Assert.Equal(1, _store.Count);
    }

    [Fact]
    public async Task Closing_fails_pending_waits_and_later_calls()
    {
        var get = _store.GetAsync("k", TimeSpan.FromSeconds(30));

        _store.Close();

        await Assert.ThrowsAsync<StoreClosedException>(() => get);
        Assert.Throws<StoreClosedException>(() => _store.Set("k", Bytes("v")));
    }

    [Fact]
    public async Task One_set_wakes_every_waiter_on_the_key()
    {
        var gets = Enumerable.Range(0, 500).Select(_ => _store.GetAsync("barrier", TimeSpan.FromSeconds(30))).ToArray();
        Assert.Equal(500, _store.WaiterCount);

        _store.Set("barrier", Bytes("go"));

        var values = await Task.WhenAll(gets).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.All(values, v => Assert.Equal("go", Text(v)));
        Assert.Equal(0, _store.WaiterCount);
    }
}
