using DistTrain.Data;
using DistTrain.Data.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Data;

/// <summary>The augmentation steps on small known images, and SampleAugmentation's randomness as a function of (seed, epoch, sample id) alone.</summary>
public sealed class AugmentationTests
{
    // 1 × 3 × 4: pixel (r, c) = 10·r + c + 1 (no zeros, so padding is visible).
    private static Tensor Known() => arange(1, 13, ScalarType.Float32).reshape(1, 3, 4) + tensor(new float[] { 0, 0, 0, 0, 6, 6, 6, 6, 12, 12, 12, 12 }).reshape(1, 3, 4);

    private static float[,] Pixels(Tensor image)
    {
        var (h, w) = ((int)image.shape[1], (int)image.shape[2]);
        var values = image.contiguous().data<float>().ToArray();
        var pixels = new float[h, w];
        for (var r = 0; r < h; r++)
            for (var c = 0; c < w; c++) pixels[r, c] = values[r * w + c];
        return pixels;
    }

    private static SampleAugmentation Cifar(int seed = 5) => new(seed, new RandomCrop(4, padding: 1), new RandomHorizontalFlip(), new RandomRotation(10),
        new Normalize([0.5, 0.4, 0.3], [0.2, 0.25, 0.3]));

    private static Tensor Image(long id)
    {
        using var _ = NewDisposeScope();
        var generator = new torch.Generator(1000 + (ulong)id);
        return rand(new long[] { 3, 4, 4 }, generator: generator).MoveToOuterDisposeScope();
    }

    [Fact]
    public void Known_image_is_what_the_test_thinks()
    {
        using var image = Known();
        Assert.Equal(new float[,] { { 1, 2, 3, 4 }, { 11, 12, 13, 14 }, { 21, 22, 23, 24 } }, Pixels(image));
    }

    [Fact]
    public void Random_crop_takes_the_window_at_its_place_in_the_zero_padded_image()
    {
        using var image = Known();
        var crop = new RandomCrop(2, 3, padding: 1);
        using var corner = crop.Crop(image, 0, 0);
        Assert.Equal(new float[,] { { 0, 0, 0 }, { 0, 1, 2 } }, Pixels(corner));
        using var inside = crop.Crop(image, 2, 2);
        Assert.Equal(new float[,] { { 12, 13, 14 }, { 22, 23, 24 } }, Pixels(inside));
        using var drawn = crop.Apply(image, new Random(3));
        var random = new Random(3);
        var (top, left) = (random.Next(5 - 2 + 1), random.Next(6 - 3 + 1));
        using var expected = crop.Crop(image, top, left);
        Assert.Equal(Pixels(expected), Pixels(drawn));
    }

    [Fact]
    public void Horizontal_flip_mirrors_the_columns_with_probability_1_and_never_with_0()
    {
        using var image = Known();
        using var flipped = new RandomHorizontalFlip(1).Apply(image, new Random(1));
        Assert.Equal(new float[,] { { 4, 3, 2, 1 }, { 14, 13, 12, 11 }, { 24, 23, 22, 21 } }, Pixels(flipped));
        using var kept = new RandomHorizontalFlip(0).Apply(image, new Random(1));
        Assert.Equal(Pixels(image), Pixels(kept));
    }

    [Fact]
    public void Horizontal_flip_decides_per_sample_about_half_the_time()
    {
        using var image = Known();
        var flip = new RandomHorizontalFlip();
        var flips = Enumerable.Range(0, 400).Count(id =>
        {
            using var output = flip.Apply(image, SampleAugmentation.RandomFor(1, 0, id));
            return output[0, 0, 0].item<float>() == 4;
        });
        Assert.InRange(flips, 150, 250);
    }

    [Fact]
    public void Rotation_by_90_degrees_turns_the_image_counter_clockwise()
    {
        using var image = arange(1, 10, ScalarType.Float32).reshape(1, 3, 3);
        using var turned = new RandomRotation(90).Rotate(image, 90);
        Assert.Equal(new float[,] { { 3, 6, 9 }, { 2, 5, 8 }, { 1, 4, 7 } }, Pixels(turned));
    }

    [Fact]
    public void Rotation_draws_an_angle_within_its_bound_and_0_degrees_changes_nothing()
    {
        using var image = Known();
        var rotation = new RandomRotation(15);
        using var drawn = rotation.Apply(image, new Random(9));
        var angle = (float)((new Random(9).NextDouble() * 2 - 1) * 15);
        Assert.InRange(angle, -15f, 15f);
        using var expected = rotation.Rotate(image, angle);
        Assert.Equal(Pixels(expected), Pixels(drawn));
        using var none = new RandomRotation(0).Apply(image, new Random(9));
        Assert.Equal(Pixels(image), Pixels(none));
    }

    [Fact]
    public void Normalize_subtracts_each_channels_mean_and_divides_by_its_std()
    {
        using var image = stack([ones(2, 2), ones(2, 2) * 3]);
        using var normalised = new Normalize([1, 2], [0.5, 4]).Apply(image, new Random(0));
        Assert.Equal(new float[] { 0, 0, 0, 0, 0.25f, 0.25f, 0.25f, 0.25f }, normalised.data<float>().ToArray());
        var e = Assert.Throws<ArgumentException>(() => new Normalize([1, 2, 3], [1, 1, 1]).Apply(image, new Random(0)));
        Assert.Contains("the image has 2 channels", e.Message);
    }

    [Fact]
    public void A_batch_instead_of_one_image_is_refused_with_what_to_do()
    {
        using var batch = zeros(2, 1, 4, 4);
        var e = Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(batch, new Random(0)));
        Assert.Contains("one CHW image", e.Message);
    }

    [Fact]
    public void The_same_sample_and_epoch_give_bitwise_identical_output_whatever_the_rank_world_size_or_order()
    {
        const int samples = 12;
        var augmentation = Cifar();
        var reference = Enumerable.Range(0, samples).Select(id => Bytes(augmentation.Apply(Image(id), epoch: 3, id))).ToArray();
        foreach (var world in new[] { 1, 2, 3 })
            for (var rank = 0; rank < world; rank++)
            {
                var sampler = new DistributedSampler(samples, world, rank, shuffle: true, seed: world);
                sampler.set_epoch(world); // a different order per world, as after a re-split
                foreach (var id in sampler.Reverse())
                    Assert.Equal(reference[id], Bytes(augmentation.Apply(Image(id), epoch: 3, id)));
            }
        var fresh = Cifar(); // a new instance (a restarted process) with the same seed
        Assert.Equal(reference[7], Bytes(fresh.Apply(Image(7), 3, 7)));
    }

    [Fact]
    public void Different_epochs_and_seeds_augment_differently()
    {
        // Bilinear rotation: a continuous angle, so two draws never give the same pixels.
        SampleAugmentation Smooth(int seed) => new(seed, new RandomCrop(16, padding: 4), new RandomHorizontalFlip(), new RandomRotation(10, InterpolationMode.Bilinear));
        Tensor Large() => rand(new long[] { 3, 16, 16 }, generator: new torch.Generator(77));
        var epochs = Enumerable.Range(0, 6).Select(epoch => Convert.ToBase64String(Bytes(Smooth(5).Apply(Large(), epoch, 4)))).ToArray();
        Assert.Equal(6, epochs.Distinct().Count());
        Assert.NotEqual(Bytes(Smooth(5).Apply(Large(), 0, 4)), Bytes(Smooth(6).Apply(Large(), 0, 4)));
    }

    [Fact]
    public void Augmenting_leaves_the_input_as_it_was()
    {
        using var image = Image(2);
        var before = Bytes(image.clone());
        using var output = Cifar().Apply(image, 0, 2);
        Assert.Equal(before, Bytes(image.clone()));
    }

    private static byte[] Bytes(Tensor t)
    {
        using (t) return t.contiguous().bytes.ToArray();
    }
}
