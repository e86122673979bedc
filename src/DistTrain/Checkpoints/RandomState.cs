using System.Reflection;

namespace DistTrain.Checkpoints;

/// <summary>
/// The state of a <see cref="System.Random"/> as bytes, and back. .NET's Random has no state API, so its
/// fields (and those of its implementation object: the seeded generator's 56-int table and two indices, or
/// the unseeded xoshiro's four words) are walked by reflection in declaration order; restoring writes them
/// back into the same instance, so every later draw repeats. <see cref="Random.Shared"/> (per thread) is refused.
/// </summary>
internal static class RandomState
{
    private const BindingFlags Fields = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    /// <summary>The generator's state.</summary>
    /// <exception cref="ArgumentException"><paramref name="random"/> is <see cref="Random.Shared"/>.</exception>
    public static byte[] Capture(Random random)
    {
        RefuseShared(random);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer))
        {
            writer.Write(Signature(random));
            Walk(random, random, (field, owner) => Write(writer, field.GetValue(owner)));
        }
        return buffer.ToArray();
    }

    /// <summary>Puts <paramref name="state"/> (from <see cref="Capture"/> of a generator of the same type) back into <paramref name="random"/>.</summary>
    /// <exception cref="InvalidDataException">The state does not fit this generator (another type or .NET version).</exception>
    public static void Restore(Random random, byte[] state)
    {
        RefuseShared(random);
        using var reader = new BinaryReader(new MemoryStream(state));
        try
        {
            var saved = reader.ReadString();
            if (saved != Signature(random))
                throw new InvalidDataException(
                    $"The saved state is of a generator made of [{saved}], this one is made of [{Signature(random)}]: it was saved from another kind of Random or another .NET.");
            Walk(random, random, (field, owner) => field.SetValue(owner, Read(reader, field.FieldType, field.GetValue(owner))));
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"The saved state of a {random.GetType().Name} is shorter than this generator's: it was saved from another kind of Random or another .NET.");
        }

        if (reader.BaseStream.Position != state.Length)
            throw new InvalidDataException($"The saved state of a {random.GetType().Name} is longer than this generator's: it was saved from another kind of Random or another .NET.");
    }

    // The fields that make up the state, in walk order: states of different layouts never mix.
    private static string Signature(Random random)
    {
        var types = new List<string>();
        Walk(random, random, (field, _) => types.Add($"{field.DeclaringType?.Name}.{field.Name}"));
        return string.Join(", ", types);
    }

    // Visits every primitive or primitive-array field of the object graph under 'owner', in a fixed order.
    // Structs are visited in a boxed copy that is stored back; references back to the Random are not followed.
    private static void Walk(Random root, object owner, Action<FieldInfo, object> visit)
    {
        for (var type = owner.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (var field in type.GetFields(Fields).OrderBy(f => f.MetadataToken))
            {
                var t = field.FieldType;
                if (t.IsPrimitive || (t.IsArray && t.GetElementType()!.IsPrimitive))
                    visit(field, owner);
                else if (t.IsValueType)
                {
                    var boxed = field.GetValue(owner)!;
                    Walk(root, boxed, visit);
                    field.SetValue(owner, boxed);
                }
                else if (field.GetValue(owner) is { } child && !ReferenceEquals(child, root) && child is not Random && !t.IsArray && child is not string)
                    Walk(root, child, visit);
            }
        }
    }

    private static void Write(BinaryWriter writer, object? value)
    {
        switch (value)
        {
            case Array array:
                writer.Write(array.Length);
                writer.Write(ArrayBytes(array));
                break;
            case null:
                writer.Write(-1);
                break;
            default:
                var one = Array.CreateInstance(value.GetType(), 1);
                one.SetValue(value, 0);
                writer.Write(ArrayBytes(one));
                break;
        }
    }

    private static object? Read(BinaryReader reader, Type type, object? current)
    {
        if (!type.IsArray)
        {
            var one = Array.CreateInstance(type, 1);
            FillArray(one, reader.ReadBytes(Buffer.ByteLength(one)));
            return one.GetValue(0);
        }

        var length = reader.ReadInt32();
        if (length < 0)
            return null;
        var array = current is Array a && a.Length == length ? a : Array.CreateInstance(type.GetElementType()!, length);
        FillArray(array, reader.ReadBytes(Buffer.ByteLength(array)));
        return array;
    }

    private static byte[] ArrayBytes(Array array)
    {
        var bytes = new byte[Buffer.ByteLength(array)];
        Buffer.BlockCopy(array, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static void FillArray(Array array, byte[] bytes)
    {
        if (bytes.Length != Buffer.ByteLength(array))
            throw new EndOfStreamException();
        Buffer.BlockCopy(bytes, 0, array, 0, bytes.Length);
    }

    private static void RefuseShared(Random random)
    {
        if (ReferenceEquals(random, Random.Shared))
            throw new ArgumentException("Random.Shared keeps one state per thread and cannot be checkpointed; register a Random of your own (new Random(seed)).", nameof(random));
    }
}
