using DistTrain.Torch.Data;
using static DistTrain.Torch.torch;

namespace DistTrain.Torch.Tests.Data;

/// <summary>TensorDataset and DataLoader: batching, shuffling, seeding, normalisation and MNIST loading.</summary>
public class DataLoaderTests
{
    /// <summary>10 samples: features [i, 100 + i] and label i.</summary>
    private static TensorDataset Numbered(int n = 10)
    {
        var features = new float[n * 2];
        var labels = new long[n];
        for (var i = 0; i < n; i++) { features[2 * i] = i; features[2 * i + 1] = 100 + i; labels[i] = i; }
        return new TensorDataset(tensor(features, [n, 2]), tensor(labels));
    }

    private static List<long[]> Epoch(DataLoader loader)
    {
        var batches = new List<long[]>();
        foreach (var batch in loader)
        {
            using var x = batch[0];
            using var y = batch[1];
            var labels = y.ToArray<long>();
            var features = x.ToArray<float>();
            for (var i = 0; i < labels.Length; i++)
            {
                Assert.Equal(labels[i], (long)features[2 * i]);
                Assert.Equal(100 + labels[i], (long)features[2 * i + 1]);
            }
            batches.Add(labels);
        }
        return batches;
    }

    [Fact]
    public void Unshuffled_batches_come_in_order_with_a_smaller_last_batch()
    {
        using var data = Numbered();
        var loader = new DataLoader(data, batchSize: 4);
        Assert.Equal(3, loader.Count);
        var batches = Epoch(loader);
        Assert.Equal([[0L, 1, 2, 3], [4L, 5, 6, 7], [8L, 9]], batches);
    }

    [Fact]
    public void Drop_last_skips_the_incomplete_batch()
    {
        using var data = Numbered();
        var loader = new DataLoader(data, batchSize: 4, dropLast: true);
        Assert.Equal(2, loader.Count);
        Assert.Equal(2, Epoch(loader).Count);
    }

    [Fact]
    public void A_shuffled_epoch_visits_every_sample_once_and_epochs_differ()
    {
        using var data = Numbered(64);
        var loader = new DataLoader(data, batchSize: 8, shuffle: true, seed: 3);
        var first = Epoch(loader).SelectMany(b => b).ToArray();
        var second = Epoch(loader).SelectMany(b => b).ToArray();
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), first.Order());
        Assert.Equal(Enumerable.Range(0, 64).Select(i => (long)i), second.Order());
        Assert.NotEqual(first, second);
        Assert.NotEqual(Enumerable.Range(0, 64).Select(i => (long)i), first);
    }

    [Fact]
    public void The_same_seed_gives_the_same_order()
    {
        using var data = Numbered(32);
        var a = Epoch(new DataLoader(data, 5, shuffle: true, seed: 11)).SelectMany(b => b).ToArray();
        var b = Epoch(new DataLoader(data, 5, shuffle: true, seed: 11)).SelectMany(b => b).ToArray();
        Assert.Equal(a, b);
    }

    /// <summary>Visits the given indices, in the given order: a stand-in for any user sampler.</summary>
    private sealed class Listed(params long[] indices) : Sampler
    {
        public override long Count => indices.Length;
        public override IEnumerator<long> GetEnumerator() => ((IEnumerable<long>)indices).GetEnumerator();
    }

    [Fact]
    public void A_sampler_decides_which_samples_come_and_in_what_order()
    {
        using var data = Numbered();
        var loader = new DataLoader(data, batchSize: 2, sampler: new Listed(9, 0, 4, 4, 7));
        Assert.Equal(3, loader.Count);
        Assert.Equal([[9L, 0], [4, 4], [7]], Epoch(loader));
        var dropping = new DataLoader(data, batchSize: 2, sampler: new Listed(9, 0, 4, 4, 7), dropLast: true);
        Assert.Equal(2, dropping.Count);
        Assert.Equal([[9L, 0], [4, 4]], Epoch(dropping));
    }

    [Fact]
    public void Shuffle_is_a_seeded_random_sampler_and_no_shuffle_a_sequential_one()
    {
        using var data = Numbered(32);
        var shuffled = new DataLoader(data, 5, shuffle: true, seed: 11);
        Assert.IsType<RandomSampler>(shuffled.sampler);
        Assert.Equal(Epoch(shuffled).SelectMany(b => b), new RandomSampler(32, seed: 11));
        Assert.Equal(Enumerable.Range(0, 32).Select(i => (long)i), new DataLoader(data, 5).sampler);
    }

    [Fact]
    public void Tensors_with_different_sample_counts_are_rejected()
    {
        using var x = zeros([3, 2]);
        using var y = zeros([4]);
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(x, y));
        Assert.Contains("tensor 0 has 3 samples but tensor 1 has 4", e.Message);
    }

    [Fact]
    public void Split_keeps_the_first_samples_and_the_rest()
    {
        using var data = Numbered();
        var (first, rest) = data.Split(7);
        using (first)
        using (rest)
        {
            Assert.Equal(7, first.Count);
            Assert.Equal(3, rest.Count);
            Assert.Equal([7L, 8, 9], rest.Tensors[1].ToArray<long>());
        }
    }

    [Fact]
    public void Pixels_are_scaled_to_unit_range_and_standardised()
    {
        using var pixels = tensor(new byte[] { 0, 255, 51 });
        using var x = Normalization.NormalizePixels(pixels, 0.1307, 0.3081);
        Assert.Equal(ScalarType.Float32, x.dtype);
        var v = x.ToArray<float>();
        Assert.Equal(-0.1307 / 0.3081, v[0], 5);
        Assert.Equal((1 - 0.1307) / 0.3081, v[1], 5);
        Assert.Equal((0.2 - 0.1307) / 0.3081, v[2], 5);
    }

    [Fact]
    public void Mnist_load_gives_normalised_images_and_int64_labels()
    {
        using var data = Mnist.Load(MnistDirectory.Path);
        Assert.Equal(10_000, data.Count);
        Assert.Equal([10_000L, 1, 28, 28], data.Tensors[0].shape);
        Assert.Equal(ScalarType.Int64, data.Tensors[1].dtype);
        // numpy: the split's mean pixel is 0.132514606 of 255, so the normalised mean is (0.132514606 - 0.1307) / 0.3081.
        using var mean = data.Tensors[0].mean();
        Assert.Equal((0.13251460584233693 - 0.1307) / 0.3081, mean.item<float>(), 4);
    }

    [Fact]
    public void Mnist_load_names_a_missing_directory()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => Mnist.Load("/nonexistent/mnist"));
        Assert.Contains("--data", e.Message);
    }
}
