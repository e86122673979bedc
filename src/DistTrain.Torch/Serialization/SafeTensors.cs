using System.Buffers.Binary;
using DistTrain.Torch.Native;
using DistTrain.Torch.Serialization;

namespace DistTrain.Torch;

public static partial class torch
{
    /// <summary>
    /// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
    /// naming each tensor's dtype, shape and byte range, then the raw little-endian data. Files are
    /// language-neutral (Python's safetensors, numpy) and hold no code.
    /// </summary>
    public static class safetensors
    {
        /// <summary>The largest header accepted on read (as the reference implementation does), 100 MB.</summary>
        public const long MaxHeaderBytes = 100_000_000;

        /// <summary>
        /// Writes <paramref name="tensors"/> (any device; copied to the host) and optional string
        /// <paramref name="metadata"/> to <paramref name="path"/>. The file is written to a temporary file in
        /// the same directory, flushed to disk and renamed over <paramref name="path"/>, so it is either
        /// complete or absent, never half-written.
        /// </summary>
        /// <exception cref="ArgumentException">When a name is empty or reserved.</exception>
        /// <exception cref="NotSupportedException">When a tensor's element type has no safetensors dtype.</exception>
        public static void save_file(IReadOnlyDictionary<string, Tensor> tensors, string path, IReadOnlyDictionary<string, string>? metadata = null)
        {
            ArgumentNullException.ThrowIfNull(tensors);
            ArgumentException.ThrowIfNullOrEmpty(path);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors I/O needs a little-endian machine.");
            var entries = new List<SafeTensorsEntry>();
            var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
            long offset = 0;
            foreach (var (name, tensor) in ordered)
            {
                if (string.IsNullOrEmpty(name) || name == SafeTensorsHeader.MetadataKey)
                    throw new ArgumentException($"'{name}' cannot name a tensor in a safetensors file.", nameof(tensors));
                var bytes = checked(tensor.numel() * ElementSize(tensor.dtype));
                entries.Add(new SafeTensorsEntry(name, tensor.dtype, tensor.shape, offset, offset + bytes));
                offset += bytes;
            }
            var header = SafeTensorsHeader.Write(entries, metadata);

            var full = Path.GetFullPath(path);
            var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    Span<byte> length = stackalloc byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                    stream.Write(length);
                    stream.Write(header);
                    foreach (var (_, tensor) in ordered) WriteData(stream, tensor);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temp, full, overwrite: true);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }

        private static unsafe void WriteData(Stream stream, Tensor tensor)
        {
            var bytes = tensor.numel() * ElementSize(tensor.dtype);
            if (bytes == 0) return;
            var buffer = GC.AllocateUninitializedArray<byte>(checked((int)bytes));
            fixed (byte* p = buffer)
                NativeError.Check(NativeMethods.dt_tensor_copy_to_host(tensor.Handle, p, bytes));
            stream.Write(buffer);
        }

        /// <summary>Reads every tensor of the safetensors file at <paramref name="path"/> into CPU tensors.</summary>
        /// <exception cref="SafeTensorsFormatException">When the file is truncated or its header is malformed; the message says what is wrong.</exception>
        public static Dictionary<string, Tensor> load_file(string path) => load_file(path, out _);

        /// <summary>Reads every tensor of the file and its string metadata.</summary>
        /// <exception cref="SafeTensorsFormatException">When the file is truncated or its header is malformed; the message says what is wrong.</exception>
        public static Dictionary<string, Tensor> load_file(string path, out Dictionary<string, string> metadata)
        {
            ArgumentException.ThrowIfNullOrEmpty(path);
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var (entries, meta, dataStart) = ReadHeader(path, file);
            metadata = meta;
            var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
            try
            {
                foreach (var e in entries) result[e.Name] = ReadTensor(path, file, dataStart, e);
            }
            catch
            {
                foreach (var t in result.Values) t.Dispose();
                throw;
            }
            return result;
        }

        /// <summary>Reads only the string metadata of the file at <paramref name="path"/>.</summary>
        public static Dictionary<string, string> load_metadata(string path)
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return ReadHeader(path, file).Metadata;
        }

        private static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata, long DataStart) ReadHeader(
            string path, Microsoft.Win32.SafeHandles.SafeFileHandle file)
        {
            var fileLength = RandomAccess.GetLength(file);
            if (fileLength < 8)
                throw new SafeTensorsFormatException(path, $"it holds {fileLength} bytes, fewer than the 8-byte header size that starts every safetensors file. The file is truncated or empty.");
            Span<byte> lengthBytes = stackalloc byte[8];
            ReadExactly(file, lengthBytes, 0);
            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
            if (headerLength > (ulong)(fileLength - 8))
                throw new SafeTensorsFormatException(path, $"its header size says {headerLength} bytes but only {fileLength - 8} follow the size field: the file is truncated or not safetensors.");
            if (headerLength > MaxHeaderBytes)
                throw new SafeTensorsFormatException(path, $"its header size {headerLength} exceeds the {MaxHeaderBytes}-byte limit.");
            var json = new byte[headerLength];
            ReadExactly(file, json, 8);
            var dataStart = 8 + (long)headerLength;
            var (entries, metadata) = SafeTensorsHeader.Parse(path, json, fileLength - dataStart);
            return (entries, metadata, dataStart);
        }

        private static unsafe Tensor ReadTensor(string path, Microsoft.Win32.SafeHandles.SafeFileHandle file, long dataStart, SafeTensorsEntry e)
        {
            var bytes = e.End - e.Begin;
            var buffer = GC.AllocateUninitializedArray<byte>(checked((int)bytes));
            ReadExactly(file, buffer, dataStart + e.Begin);
            fixed (byte* p = buffer)
            fixed (long* s = e.Shape)
                return new Tensor(NativeMethods.dt_tensor_from_data(p, bytes, s, e.Shape.Length, (int)e.DType, (int)DeviceType.CPU, -1, false));
        }

        private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var n = RandomAccess.Read(file, buffer[done..], offset + done);
                if (n == 0) throw new EndOfStreamException($"The file ended at byte {offset + done} while {buffer.Length - done} more bytes were expected.");
                done += n;
            }
        }
    }
}
