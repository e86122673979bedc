using DistTrain.Data;
using DistTrain.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DistTrain.Distributed.Tests.Training;

/// <summary>The Trainer in one process (no DDP): its validation metrics, its epochs and callbacks, and the errors it gives for wrong settings.</summary>
public sealed class TrainerTests
{
    private static (nn.Module<Tensor, Tensor> Model, optim.Optimizer Optimizer) Classifier(double lr = 0)
    {
        manual_seed(3);
        var model = nn.Sequential(nn.Linear(4, 3));
        return (model, optim.SGD(model.parameters(), lr));
    }

    private static (Tensor X, Tensor Y) Data()
    {
        manual_seed(4);
        return (randn(30, 4), randint(3, [30]));
    }

    [Fact]
    public void Validation_reports_the_confusion_matrixs_scores_of_the_models_predictions()
    {
        var (model, optimizer) = Classifier(lr: 0); // the model stays as built
        var (x, y) = Data();
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t), new TrainerOptions { Epochs = 2, NumClasses = 3 });
        var ended = new List<int>();
        trainer.EpochEnded += e => ended.Add(e.Epoch);
        var result = trainer.Fit(_ => [[x, y]], _ => [[x.narrow(0, 0, 16), y.narrow(0, 0, 16)], [x.narrow(0, 16, 14), y.narrow(0, 16, 14)]]);

        var expected = new ConfusionMatrix(3);
        using (no_grad()) expected.Update(model.call(x).argmax(1), y);
        var report = expected.Report();
        var metrics = result.Epochs[^1].Metrics;
        Assert.Equal([1, 2], ended);
        Assert.Equal(2, result.Steps);
        Assert.Equal(report.Accuracy, metrics["val_accuracy"]);
        Assert.Equal(report.MacroF1, metrics["val_f1"]);
        Assert.Equal(report.MacroPrecision, metrics["val_precision"]);
        Assert.Equal(report.MacroRecall, metrics["val_recall"]);
        Assert.Equal(30, result.Epochs[^1].Validation!.Total); // both validation batches, every sample once
        using (no_grad()) Assert.Equal(nn.functional.cross_entropy(model.call(x), y).item<float>(), metrics["val_loss"], 5);
        Assert.False(result.StoppedEarly);
    }

    [Fact]
    public void First_epoch_3_of_4_trains_epochs_3_and_4_only()
    {
        var (model, optimizer) = Classifier(lr: 0.1);
        var (x, y) = Data();
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t), new TrainerOptions { Epochs = 4, FirstEpoch = 3 });
        var asked = new List<int>();

        var result = trainer.Fit(epoch =>
        {
            asked.Add(epoch);
            return [[x, y]];
        });

        Assert.Equal([3, 4], asked);
        Assert.Equal([3, 4], result.Epochs.Select(e => e.Epoch));
        Assert.Equal(2, result.Steps);
    }

    [Fact]
    public void A_first_epoch_past_the_last_trains_nothing_and_reports_no_epoch()
    {
        var (model, optimizer) = Classifier(lr: 0.1);
        var (x, y) = Data();
        var before = model.parameters().Select(p => p.clone()).ToList();
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t), new TrainerOptions { Epochs = 2, FirstEpoch = 3 });

        var result = trainer.Fit(_ => [[x, y]]);

        Assert.Empty(result.Epochs);
        Assert.Equal(0, result.Steps);
        Assert.False(result.StoppedEarly);
        Assert.False(result.Stopped);
        Assert.All(model.parameters().Zip(before), pair => Assert.True(pair.First.eq(pair.Second).all().item<bool>()));
    }

    [Fact]
    public void Stop_called_after_step_2_ends_that_epoch_there_reports_it_and_starts_no_other()
    {
        var (model, optimizer) = Classifier(lr: 0.1);
        var (x, y) = Data();
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t), new TrainerOptions { Epochs = 3 });
        trainer.StepEnded += s =>
        {
            if (s.Step == 2) trainer.Stop();
        };
        var ended = new List<int>();
        trainer.EpochEnded += e => ended.Add(e.Epoch);

        var result = trainer.Fit(_ => [[x.narrow(0, 0, 10), y.narrow(0, 0, 10)], [x.narrow(0, 10, 10), y.narrow(0, 10, 10)], [x.narrow(0, 20, 10), y.narrow(0, 20, 10)]]);

        Assert.Equal(2, result.Steps);
        Assert.Equal([1], ended);
        Assert.True(result.Stopped);
        Assert.False(result.StoppedEarly);
    }

    [Fact]
    public void Validating_the_epoch_before_the_first_feeds_restored_early_stopping_which_stops_there_without_training()
    {
        var (model, optimizer) = Classifier(lr: 0.1);
        var (x, y) = Data();
        var early = new EarlyStopping("val_loss", MonitorMode.Min, patience: 1);
        early.Restore(bestEpoch: 1, bestValue: 0.0, epochsWithoutImprovement: 0); // no loss is below 0: epoch 2 cannot improve
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t),
            new TrainerOptions { Epochs = 4, FirstEpoch = 3, ValidateEpochBeforeFirst = true, EarlyStopping = early });
        var validated = new List<int>();
        var trained = new List<int>();

        var result = trainer.Fit(epoch =>
        {
            trained.Add(epoch);
            return [[x, y]];
        }, epoch =>
        {
            validated.Add(epoch);
            return [[x, y]];
        });

        Assert.Equal([2], validated);
        Assert.Empty(trained);
        Assert.Empty(result.Epochs);
        Assert.True(result.StoppedEarly);
        Assert.Equal(1, result.BestEpoch);
        Assert.Equal(1, early.EpochsWithoutImprovement);
    }

    [Fact]
    public void Validating_the_epoch_before_the_first_that_improves_goes_on_with_the_first()
    {
        var (model, optimizer) = Classifier(lr: 0); // the model stays as built: epochs 2 and 3 validate alike
        var (x, y) = Data();
        var early = new EarlyStopping("val_loss", MonitorMode.Min, patience: 1);
        early.Restore(bestEpoch: 1, bestValue: double.MaxValue, epochsWithoutImprovement: 0);
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t),
            new TrainerOptions { Epochs = 3, FirstEpoch = 3, ValidateEpochBeforeFirst = true, EarlyStopping = early });

        var result = trainer.Fit(_ => [[x, y]], _ => [[x, y]]);

        Assert.Equal([3], result.Epochs.Select(e => e.Epoch));
        Assert.Equal(2, result.BestEpoch); // epoch 2 improved on the restored best; epoch 3, equal to it, did not
        Assert.True(result.StoppedEarly);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, optimizer, (o, t) => o.sum(), new TrainerOptions { ValidateEpochBeforeFirst = true }));
        Assert.Throws<InvalidOperationException>(() => new Trainer(model, optimizer, (o, t) => o.sum(),
            new TrainerOptions { Epochs = 3, FirstEpoch = 2, ValidateEpochBeforeFirst = true }).Fit(_ => [[x, y]]));
    }

    [Fact]
    public void Validating_the_epoch_before_the_first_steps_a_reduce_lr_on_plateau_scheduler_with_its_metric()
    {
        var (model, optimizer) = Classifier(lr: 0.1);
        var (x, y) = Data();
        var plateau = optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor: 0.5, patience: 0);
        plateau.step(0.0); // as restored: the best loss so far is 0, which no epoch can beat
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t),
            new TrainerOptions { Epochs = 2, FirstEpoch = 3, ValidateEpochBeforeFirst = true, Scheduler = plateau });

        var result = trainer.Fit(_ => [[x, y]], _ => [[x, y]]);

        Assert.Empty(result.Epochs);
        Assert.Equal(0.05, optimizer.ParamGroups.First().LearningRate, 12); // epoch 2's loss did not improve: halved
    }

    [Fact]
    public void Early_stopping_restore_refuses_a_best_epoch_without_a_value_and_negative_counts()
    {
        var early = new EarlyStopping();
        Assert.Throws<ArgumentOutOfRangeException>(() => early.Restore(2, double.NaN, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => early.Restore(-1, 0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => early.Restore(2, 0.5, -1));
        early.Restore(0, double.NaN, 0);
        Assert.Equal(0, early.BestEpoch);
    }

    [Fact]
    public void Early_stopping_on_a_metric_the_epoch_lacks_names_those_it_has()
    {
        var (model, optimizer) = Classifier();
        var (x, y) = Data();
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t),
            new TrainerOptions { Epochs = 3, EarlyStopping = new EarlyStopping("val_accuracy", MonitorMode.Max) });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_ => [[x, y]]));
        Assert.Contains("'val_accuracy'", e.Message);
        Assert.Contains("it has train_loss", e.Message);
    }

    [Fact]
    public void A_single_output_without_predict_is_refused_with_what_to_set()
    {
        manual_seed(5);
        using var model = nn.Sequential(nn.Linear(2, 1), nn.Sigmoid());
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var (x, y) = (rand(4, 2), tensor(new float[] { 0, 1, 1, 0 }).reshape(4, 1));
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.binary_cross_entropy(o, t), new TrainerOptions { NumClasses = 2 });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_ => [[x, y]], _ => [[x, y]]));
        Assert.Contains("TrainerOptions.Predict", e.Message);
        var predicting = new Trainer(model, optimizer, (o, t) => nn.functional.binary_cross_entropy(o, t),
            new TrainerOptions { NumClasses = 2, Predict = o => o.ge(0.5).flatten().to(ScalarType.Int64) });
        Assert.InRange(predicting.Fit(_ => [[x, y]], _ => [[x, y]]).Epochs[0].Metrics["val_accuracy"], 0, 1);
    }

    [Fact]
    public void Reduce_lr_on_plateau_steps_with_the_monitored_metric_and_halves_the_rate_after_patience_epochs()
    {
        var (model, optimizer) = Classifier(lr: 0.1);
        var (x, y) = Data();
        // A constant validation set's loss barely moves at this rate: no improvement beyond the 50 % threshold.
        var plateau = optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor: 0.5, patience: 1, threshold: 0.5);
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t),
            new TrainerOptions { Epochs = 5, Scheduler = plateau, SchedulerMonitor = "val_loss" });
        var result = trainer.Fit(_ => [[x, y]], _ => [[x, y]]);
        // Epoch 1 sets the best; epochs 2 and 3 do not improve on it: the rate halves after epoch 3, then after epoch 5.
        Assert.Equal([0.1, 0.1, 0.05, 0.05, 0.025], result.Epochs.Select(e => e.LearningRate));
    }

    [Fact]
    public void Reduce_lr_on_plateau_watching_a_metric_the_epoch_lacks_names_those_it_has()
    {
        var (model, optimizer) = Classifier();
        var (x, y) = Data();
        var trainer = new Trainer(model, optimizer, (o, t) => nn.functional.cross_entropy(o, t),
            new TrainerOptions { Scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer), SchedulerMonitor = "val_f1" });
        var e = Assert.Throws<InvalidOperationException>(() => trainer.Fit(_ => [[x, y]], _ => [[x, y]]));
        Assert.Contains("The ReduceLROnPlateau scheduler watches 'val_f1'", e.Message);
        Assert.Contains("it has train_loss, val_loss", e.Message);
    }

    [Fact]
    public void Reduce_lr_on_plateau_stepped_every_step_is_refused()
    {
        var (model, optimizer) = Classifier();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, optimizer, (o, t) => o.sum(),
            new TrainerOptions { Scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer), SchedulerInterval = SchedulerInterval.Step }));
        Assert.Contains("set SchedulerInterval to Epoch", e.Message);
    }

    [Fact]
    public void Out_of_range_options_are_refused_naming_the_option()
    {
        var (model, optimizer) = Classifier();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, optimizer, (o, t) => o.sum(), new TrainerOptions { AccumulationSteps = 0 }));
        Assert.Contains("AccumulationSteps (0)", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, optimizer, (o, t) => o.sum(), new TrainerOptions { MaxGradNorm = 0 }));
        Assert.Contains("MaxGradNorm", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(model, optimizer, (o, t) => o.sum(), new TrainerOptions { FirstEpoch = 0 }));
        Assert.Contains("FirstEpoch (0)", e.Message);
    }
}
