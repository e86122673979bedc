namespace DistTrain.Tests.Shared;

/// <summary>
/// Tests that assert two seeded runs give identical numbers. TorchSharp has one random generator per process, and
/// xUnit runs test classes in parallel, so another class's <c>randn</c> or module constructor between a test's
/// <c>manual_seed</c> and its draws would change them. Classes in this collection run after all others, alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGeneratorCollection
{
    public const string Name = "Torch's global random generator";
}
