using DistTrain.Data;
using DistTrain.Data.Augmentation;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>PrefetchingLoader: batch content and order independent of thread timing, errors on the consumer's side with the sample id, a bounded queue, clean stops.</summary>
public sealed class PrefetchingLoaderTests
{
    private static readonly SampleAugmentation Augmentation = new(11, new RandomCrop(6, padding: 2), new RandomHorizontalFlip(), new RandomRotation(8));

    // Sample id → (the augmented 1 × 6 × 6 image of epoch 2, its label); with jitter, a random sleep first.
    private static Func<long, IReadOnlyList<Tensor>> Sample(int jitterMs = 0, int seed = 0)
    {
        var random = new ThreadLocal<Random>(() => new Random(seed + Environment.CurrentManagedThreadId));
        return id =>
        {
            if (jitterMs > 0) Thread.Sleep(random.Value!.Next(jitterMs + 1));
            using var image = full(new long[] { 1, 6, 6 }, (float)id) + arange(36, ScalarType.Float32).reshape(1, 6, 6);
            return [Augmentation.Apply(image, epoch: 2, id), tensor(id % 10)];
        };
    }

    private static List<(long[] Ids, byte[] Images, long[] Labels)> Drain(PrefetchingLoader loader) =>
        loader.Select(b => (b.Ids.ToArray(), b[0].contiguous().bytes.ToArray(), b[1].data<long>().ToArray())).ToList();

    [Fact]
    public void Batches_hold_the_samplers_ids_in_order_and_the_last_may_be_short()
    {
        var sampler = new DistributedSampler(23, 2, 1, shuffle: true, seed: 3);
        var loader = new PrefetchingLoader(sampler, 5, Sample(), numWorkers: 3);
        var batches = Drain(loader);
        Assert.Equal(sampler.ToArray(), batches.SelectMany(b => b.Ids));
        Assert.Equal(new[] { 5, 5, 2 }, batches.Select(b => b.Ids.Length));
        Assert.All(batches, b => Assert.Equal(b.Ids.Select(id => id % 10), b.Labels));
        Assert.Equal(2, Drain(new PrefetchingLoader(sampler, 5, Sample(), numWorkers: 3, dropLast: true)).Count);
    }

    [Fact]
    public void Batch_content_and_order_do_not_depend_on_thread_timing()
    {
        var sampler = Enumerable.Range(0, 40).Select(i => (long)(i * 7 % 40)).ToArray();
        var reference = Drain(new PrefetchingLoader(sampler, 4, Sample(), numWorkers: 0));
        foreach (var (workers, seed) in new[] { (1, 1), (3, 2), (4, 3) })
        {
            var jittered = Drain(new PrefetchingLoader(sampler, 4, Sample(jitterMs: 5, seed), numWorkers: workers, prefetchBatches: 3));
            Assert.Equal(reference.Count, jittered.Count);
            for (var i = 0; i < reference.Count; i++)
            {
                Assert.Equal(reference[i].Ids, jittered[i].Ids);
                Assert.Equal(reference[i].Images, jittered[i].Images);
                Assert.Equal(reference[i].Labels, jittered[i].Labels);
            }
        }
    }

    [Fact]
    public void Works_as_a_data_plan_samplers_loader()
    {
        var plan = new DistTrain.Protocol.DataPlan.DataPlanSpec(seed: 4, size: 30, globalBatch: 6);
        var sampler = new DataPlanSampler(plan, worldSize: 3, rank: 2);
        var batches = Drain(new PrefetchingLoader(sampler, sampler.batch_size, Sample(), numWorkers: 2));
        Assert.Equal(sampler.StepCount, batches.Count);
        for (var step = 0; step < batches.Count; step++) Assert.Equal(sampler.StepIds(step), batches[step].Ids);
    }

    [Fact]
    public void A_failing_sample_surfaces_on_the_consumer_at_its_batch_naming_the_sample_id()
    {
        var inner = Sample();
        var loader = new PrefetchingLoader(Enumerable.Range(0, 30).Select(i => (long)i), 4,
            id => id == 13 ? throw new IOException("disk read error") : inner(id), numWorkers: 3);
        var taken = new List<long>();
        var e = Assert.Throws<DataLoadException>(() =>
        {
            foreach (var batch in loader) taken.AddRange(batch.Ids);
        });
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (long)i), taken); // batches 0–2 intact, in order
        Assert.Equal(13, e.SampleId);
        Assert.Equal(3, e.BatchIndex);
        Assert.Contains("sample 13", e.Message);
        Assert.IsType<IOException>(e.InnerException);
    }

    [Fact]
    public void Samples_of_different_shapes_fail_collation_naming_the_batch()
    {
        var loader = new PrefetchingLoader([0L, 1, 2], 3, id => [zeros(id == 2 ? 3 : 2)], numWorkers: 1);
        var e = Assert.Throws<DataLoadException>(() => loader.ToList());
        Assert.Null(e.SampleId);
        Assert.Contains("Collating batch 0", e.Message);
    }

    [Fact]
    public void Workers_build_at_most_the_prefetch_depth_ahead_and_stop_when_the_loop_is_left()
    {
        var built = 0;
        var inner = Sample();
        var loader = new PrefetchingLoader(Enumerable.Range(0, 1000).Select(i => (long)i), 1, id =>
        {
            Interlocked.Increment(ref built);
            return inner(id);
        }, numWorkers: 2, prefetchBatches: 3);
        using (var it = loader.GetEnumerator())
        {
            Assert.True(it.MoveNext());
            // Poll until the workers have filled the queue: 1 taken + 3 ahead, and no more.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (Volatile.Read(ref built) < 4 && DateTime.UtcNow < deadline) Thread.Sleep(10);
            Thread.Sleep(200);
            Assert.Equal(4, Volatile.Read(ref built));
        }
        var afterDispose = Volatile.Read(ref built);
        Thread.Sleep(200);
        Assert.Equal(afterDispose, Volatile.Read(ref built));
        Assert.Equal(1, loader.BatchesTaken);
    }

    [Fact]
    public void Data_wait_adds_up_the_time_the_consumer_waited()
    {
        var inner = Sample();
        var loader = new PrefetchingLoader(Enumerable.Range(0, 6).Select(i => (long)i), 2, id =>
        {
            Thread.Sleep(20);
            return inner(id);
        }, numWorkers: 0);
        Assert.Equal(3, loader.Count());
        Assert.Equal(3, loader.BatchesTaken);
        Assert.True(loader.DataWait >= TimeSpan.FromMilliseconds(6 * 20), $"waited {loader.DataWait.TotalMilliseconds} ms for 6 samples of 20 ms built on the consumer");
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_rule()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PrefetchingLoader([0L], 0, Sample()));
        Assert.Contains("must be at least 1", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new PrefetchingLoader([0L], 1, Sample(), numWorkers: -1));
        Assert.Contains("must not be negative", e.Message);
    }
}
