using System.Globalization;

namespace DistTrain.Checkpointing;

/// <summary>
/// The names on disk, in one place. Under a checkpoint root:
/// <code>
/// step-000000100/            a committed checkpoint: manifest.json + the files it lists
/// step-000000200/
/// latest                     the name of the newest committed checkpoint ("step-000000200\n")
/// .staging-step-000000300-&lt;attempt&gt;/   being written; never read, removed by recovery
/// .deleting-step-000000100-&lt;id&gt;/      being pruned; never read, removed by recovery
/// </code>
/// Only a directory whose name is exactly <c>step-</c> and nine or more digits is a checkpoint; its
/// manifest is written before the directory gets that name, so such a directory is complete.
/// </summary>
public static class CheckpointLayout
{
    /// <summary>The manifest's file name inside a checkpoint directory.</summary>
    public const string ManifestFileName = "manifest.json";

    /// <summary>The file, in the root, that names the newest committed checkpoint.</summary>
    public const string LatestFileName = "latest";

    /// <summary>The prefix of every name that is not a committed checkpoint (staging, deleting, temporary files).</summary>
    public const string HiddenPrefix = ".";

    private const string StepPrefix = "step-";
    private const string StagingPrefix = ".staging-";
    private const string DeletingPrefix = ".deleting-";
    private const string TempInfix = ".tmp-";

    /// <summary>The directory name of step <paramref name="step"/>: <c>step-000000100</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public static string DirectoryName(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return StepPrefix + step.ToString("D9", CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a committed checkpoint's directory name; false for anything else (staging, files, other names).</summary>
    public static bool TryParseStep(string name, out long step)
    {
        step = 0;
        var digits = name.AsSpan();
        if (!digits.StartsWith(StepPrefix, StringComparison.Ordinal))
            return false;
        digits = digits[StepPrefix.Length..];
        return digits.Length >= 9 && !digits.ContainsAnyExceptInRange('0', '9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out step);
    }

    /// <summary>The staging directory name of an attempt to write step <paramref name="step"/>.</summary>
    /// <param name="step">The step being checkpointed.</param>
    /// <param name="attempt">Names the attempt; every rank writing the same checkpoint uses the same one (letters, digits, '-').</param>
    public static string StagingName(long step, string attempt)
    {
        ValidateAttempt(attempt);
        return $"{StagingPrefix}{DirectoryName(step)}-{attempt}";
    }

    /// <summary>The name a committed directory is renamed to while it is pruned.</summary>
    internal static string DeletingName(string directoryName) => $"{DeletingPrefix}{directoryName}-{Guid.NewGuid():N}";

    /// <summary>A unique temporary name for a file being written atomically beside <paramref name="fileName"/>.</summary>
    internal static string TempFileName(string fileName) => $"{HiddenPrefix}{fileName}{TempInfix}{Guid.NewGuid():N}";

    /// <summary>Whether <paramref name="name"/> is a leftover of an interrupted write or prune (safe to delete when no write is running).</summary>
    public static bool IsLeftover(string name) =>
        name.StartsWith(StagingPrefix, StringComparison.Ordinal) || name.StartsWith(DeletingPrefix, StringComparison.Ordinal)
        || (name.StartsWith(HiddenPrefix, StringComparison.Ordinal) && name.Contains(TempInfix, StringComparison.Ordinal));

    /// <summary>Whether <paramref name="name"/> may name a file of a checkpoint: no path separators, not hidden, not the manifest.</summary>
    public static void ValidateFileName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('/') || name.Contains('\\') || name is "." or ".."
            || name.StartsWith(HiddenPrefix, StringComparison.Ordinal) || name == ManifestFileName)
            throw new ArgumentException(
                $"'{name}' cannot name a checkpoint file: use a plain file name without '/' or '\\', not starting with '.', other than '{ManifestFileName}'.",
                nameof(name));
    }

    private static void ValidateAttempt(string attempt)
    {
        if (string.IsNullOrEmpty(attempt) || attempt.Length > 64 || attempt.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-'))
            throw new ArgumentException(
                $"The attempt id '{attempt}' must be 1 to 64 ASCII letters, digits or '-'.", nameof(attempt));
    }
}
