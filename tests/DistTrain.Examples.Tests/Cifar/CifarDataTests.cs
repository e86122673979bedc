using DistTrain.Data;
using DistTrain.Examples.Cifar;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.utils.data;

namespace DistTrain.Examples.Tests.Cifar;

/// <summary>The CIFAR-10 binary-format reader on files the tests write.</summary>
public sealed class CifarDataTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("disttrain-cifar-").FullName;

    // Record i: label i % classes; red plane all 10 + i, green 100 + i, blue 200 + i, except pixel (row 1, col 2) of red = 7.
    private static (byte[] Labels, byte[] Pixels) Records(int count, int classes, int first = 0)
    {
        var labels = new byte[count];
        var pixels = new byte[count * CifarBinaryFile.ImageBytes];
        for (var i = 0; i < count; i++)
        {
            labels[i] = (byte)((first + i) % classes);
            var image = pixels.AsSpan(i * CifarBinaryFile.ImageBytes, CifarBinaryFile.ImageBytes);
            image[..1024].Fill((byte)(10 + first + i));
            image[1024..2048].Fill((byte)(100 + first + i));
            image[2048..].Fill((byte)(200 + first + i));
            image[1 * 32 + 2] = 7;
        }
        return (labels, pixels);
    }

    private void WriteSplit(string name, int count, int first)
    {
        var (labels, pixels) = Records(count, 10, first);
        CifarBinaryFile.Write(Path.Combine(dir, name), labels, pixels);
    }

    [Fact]
    public void Training_batches_read_in_order_as_normalised_nchw_images_with_their_labels()
    {
        WriteSplit("data_batch_1.bin", 3, first: 0);
        WriteSplit("data_batch_2.bin", 2, first: 3);
        using var data = CifarData.Load(dir, CifarSplit.Train);

        Assert.Equal([5L, 3, 32, 32], data.Images.shape);
        Assert.Equal([0L, 1, 2, 3, 4], data.Labels.data<long>().ToArray());
        Assert.Equal(SyntheticCifarOptions.Cifar10Names, data.ClassNames); // no batches.meta.txt: CIFAR-10's names
        // Undo the normalisation: x · std + mean, × 255, gives the bytes back, plane by plane.
        using var raw = (data.Images * tensor(CifarData.Std).view(1, 3, 1, 1) + tensor(CifarData.Mean).view(1, 3, 1, 1)) * 255;
        Assert.Equal(10 + 4, raw[4, 0, 0, 0].item<float>(), 2);
        Assert.Equal(100 + 4, raw[4, 1, 31, 31].item<float>(), 2);
        Assert.Equal(200 + 4, raw[4, 2, 5, 9].item<float>(), 2);
        Assert.Equal(7, raw[3, 0, 1, 2].item<float>(), 2); // row-major: row 1, column 2 of the red plane
        Assert.Equal(10 + 3, raw[3, 0, 2, 1].item<float>(), 2);
    }

    [Fact]
    public void Class_names_come_from_batches_meta_txt_and_bound_the_labels()
    {
        WriteSplit("test_batch.bin", 3, first: 0); // labels 0, 1, 2
        File.WriteAllLines(Path.Combine(dir, CifarData.MetaFile), ["cat", "dog", ""]);
        var e = Assert.Throws<CifarFormatException>(() => CifarData.Load(dir, CifarSplit.Test));
        Assert.Contains("record 2 has the label 2; labels run from 0 to 1 (2 classes)", e.Message);
        Assert.Contains("test_batch.bin", e.Message);
    }

    [Fact]
    public void A_truncated_file_is_reported_with_its_whole_records_and_the_bytes_left_over()
    {
        WriteSplit("data_batch_1.bin", 2, first: 0);
        var path = Path.Combine(dir, "data_batch_1.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..(CifarBinaryFile.RecordBytes + 100)]);
        var e = Assert.Throws<CifarFormatException>(() => CifarData.Load(dir, CifarSplit.Train));
        Assert.Contains("its 3173 bytes are 1 whole records of 3073 bytes (1 label + 3,072 pixels) and 100 bytes more: the file is truncated", e.Message);
    }

    [Fact]
    public void A_missing_directory_or_split_says_what_it_should_hold()
    {
        var missing = Assert.Throws<DirectoryNotFoundException>(() => CifarData.Load(Path.Combine(dir, "nope"), CifarSplit.Train));
        Assert.Contains("data_batch_1.bin … data_batch_5.bin, test_batch.bin", missing.Message);
        Assert.Contains("--data-dir", missing.Message);
        Assert.Contains("has no data_batch_1.bin", Assert.Throws<FileNotFoundException>(() => CifarData.Load(dir, CifarSplit.Train)).Message);
        Assert.Contains("has no test_batch.bin", Assert.Throws<FileNotFoundException>(() => CifarData.Load(dir, CifarSplit.Test)).Message);
    }

    [Fact]
    public void Two_ranks_distributed_samplers_over_the_dataset_cover_every_image_once_through_torchsharps_dataloader()
    {
        SyntheticCifar.Write(dir, new SyntheticCifarOptions(SyntheticCifarOptions.CatsAndDogs, TrainFiles: 2, PerFile: 10, TestCount: 4));
        using var data = CifarData.Load(dir, CifarSplit.Train);
        using var set = data.All();
        var seen = new List<float>();
        for (var rank = 0; rank < 2; rank++)
        {
            var sampler = new DistributedSampler(set.Count, 2, rank, shuffle: true, seed: 3);
            sampler.set_epoch(1);
            using var loader = DataLoader(set, 4, sampler, disposeDataset: false);
            foreach (var batch in loader)
            {
                Assert.Equal(3, batch[0].shape[1]);
                seen.AddRange(Enumerable.Range(0, (int)batch[0].shape[0]).Select(i => batch[0][i].sum().item<float>())); // an image's fingerprint
            }
        }
        var all = Enumerable.Range(0, 20).Select(i => data.Images[i].sum().item<float>()).Order().ToArray();
        Assert.Equal(all, seen.Order().ToArray());
    }

    [Fact]
    public void The_generator_writes_cifar_layout_files_with_a_label_per_record_and_the_class_names()
    {
        SyntheticCifar.Write(dir, new SyntheticCifarOptions(SyntheticCifarOptions.CatsAndDogs, TrainFiles: 3, PerFile: 7, TestCount: 5));
        Assert.Equal(7 * CifarBinaryFile.RecordBytes, new FileInfo(Path.Combine(dir, "data_batch_3.bin")).Length);
        Assert.False(File.Exists(Path.Combine(dir, "data_batch_4.bin")));
        using var test = CifarData.Load(dir, CifarSplit.Test);
        Assert.Equal(["cat", "dog"], test.ClassNames);
        Assert.Equal(5, test.Count);
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
