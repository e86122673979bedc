using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using DistTrain.Distributed;
using DistTrain.Distributed.Backends;
using DistTrain.Native;
using TorchSharp;

namespace DistTrain.GpuCheck;

/// <summary>
/// Runs DistTrain's NCCL backend at world size 1 on raw device memory and prints what happened as
/// <c>key=value</c> lines, then <c>SUMMARY passed=N failed=N</c>. Exit codes: 0 every check passed,
/// 1 some failed, 2 bad arguments or an unexpected crash, 3 no NVIDIA driver or no visible GPU,
/// 4 a GPU but no usable NCCL, 5 a check hung (the watchdog ended the run).
/// </summary>
internal static unsafe class Program
{
    private const int ExitFailed = 1, ExitUsage = 2, ExitNoGpu = 3, ExitNoNccl = 4, ExitHung = 5;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly TimeSpan OpTimeout = TimeSpan.FromSeconds(30);
    private static int passed, failed;
    private static readonly object OutputLock = new();

    // The watchdog: a check that runs past its limit ends the process with what was printed so far.
    private static string? currentCheck;
    private static long currentDeadline = long.MaxValue;

    private static int Main(string[] args)
    {
        var largeMiB = 256;
        var iterations = 20;
        var probeOnly = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--large-mib" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var m) && m > 0:
                    largeMiB = m;
                    i++;
                    break;
                case "--iterations" when i + 1 < args.Length && int.TryParse(args[i + 1], Inv, out var n) && n > 0:
                    iterations = n;
                    i++;
                    break;
                case "--probe":
                    probeOnly = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine("usage: DistTrain.GpuCheck [--probe] [--large-mib N (256)] [--iterations N (20)]");
                    Console.WriteLine("exit: 0 all passed, 1 some failed, 2 usage/crash, 3 no NVIDIA driver or GPU, 4 no usable NCCL, 5 a check hung");
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}' (see --help)");
                    return ExitUsage;
            }
        }

        try
        {
            return Run(largeMiB, iterations, probeOnly);
        }
        catch (Exception e)
        {
            Emit("crash", Describe(e));
            Summary();
            return ExitUsage;
        }
    }

    private static int Run(int largeMiB, int iterations, bool probeOnly)
    {
        Emit("tool", "DistTrain.GpuCheck");
        Emit("runtime", RuntimeInformation.FrameworkDescription);
        Emit("os", RuntimeInformation.OSDescription);
        Emit("process_arch", RuntimeInformation.ProcessArchitecture.ToString());
        foreach (var name in new[] { "CUDA_VISIBLE_DEVICES", "DISTTRAIN_NCCL_LIBRARY", "NCCL_DEBUG", "LD_LIBRARY_PATH" })
            Emit($"env.{name}", Environment.GetEnvironmentVariable(name) ?? "(unset)");

        // TorchSharp's managed types (torch.Device, ScalarType) are all the backend's signatures need; this
        // must work without LibTorchSharp (not published with this tool) on every machine, GPU or not.
        Check("managed_types_without_libtorch", () =>
        {
            var device = new torch.Device(DeviceType.CUDA, 0);
            var buffer = new CollectiveBuffer(IntPtr.Zero, 0, torch.ScalarType.BFloat16, device);
            if (buffer.Device.type != DeviceType.CUDA || buffer.Device.index != 0) throw new CheckFailed($"torch.Device came out as {buffer.Device.type}:{buffer.Device.index}");
            return $"torch.Device({buffer.Device.type},{buffer.Device.index}) built, TorchSharp {typeof(torch).Assembly.GetName().Version}";
        });

        var (driverState, driverExit) = ProbeDriver();
        Emit("cuda_driver", driverState);

        string? why;
        try
        {
            Emit("nccl_available", ProcessGroup.is_nccl_available() ? "true" : "false");
            why = NcclBackend.WhyUnavailable();
        }
        catch (Exception e)
        {
            why = "WhyUnavailable threw " + Describe(e);
        }
        Emit("nccl_unavailable_reason", why ?? "(none)");
        if (driverExit != 0 || why is not null)
        {
            var exit = driverExit != 0 ? driverExit : ExitNoNccl;
            Emit("result", exit == ExitNoGpu ? "no-gpu" : "no-nccl");
            Summary();
            return exit;
        }

        int nccl;
        NcclMethods.Check(NcclMethods.ncclGetVersion(&nccl), "ncclGetVersion");
        Emit("nccl_version_code", nccl.ToString(Inv));
        Emit("nccl_version", nccl >= 10000 ? $"{nccl / 10000}.{nccl % 10000 / 100}.{nccl % 100}" : $"{nccl / 1000}.{nccl % 1000 / 100}.{nccl % 100}");
        Emit("nccl_library_loaded", MappedLibrary("libnccl") ?? "(not in /proc/self/maps)");
        Emit("cuda_library_loaded", MappedLibrary("libcuda.so") ?? "(not in /proc/self/maps)");
        if (probeOnly)
        {
            Emit("result", "probe-ok");
            Summary();
            return 0;
        }

        StartWatchdog();
        return RunChecks(largeMiB, iterations);
    }

    private static int RunChecks(int largeMiB, int iterations)
    {
        int dev;
        IntPtr context;
        CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuDeviceGet(&dev, 0), "cuDeviceGet(0)");
        CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuDevicePrimaryCtxRetain(&context, dev), "cuDevicePrimaryCtxRetain");
        CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        var primary = context;
        var device = new torch.Device(DeviceType.CUDA, 0);
        var store = new MemoryStore();

        NcclBackend? backend = null;
        Check("connect_world1", () =>
        {
            var sw = Stopwatch.StartNew();
            backend = NcclBackend.Connect(store, 0, 1, device, TimeSpan.FromSeconds(60));
            var ms = sw.Elapsed.TotalMilliseconds;
            Emit("connect_world1.ms", ms.ToString("0.0", Inv));
            if (backend.Name != "nccl" || backend.DeviceType != DeviceType.CUDA) throw new CheckFailed($"backend says {backend.Name}/{backend.DeviceType}");
            if (!store.Keys.Contains("disttrain/nccl/0/unique-id")) throw new CheckFailed($"no unique id under disttrain/nccl/0/unique-id; keys: {string.Join(",", store.Keys)}");
            return $"communicator in {ms:0.0} ms, store keys {string.Join(",", store.Keys.Order())}";
        }, limitSeconds: 90);
        if (backend is null)
        {
            Emit("result", "connect-failed");
            Summary();
            return ExitFailed;
        }
        // Connect made the primary context current on this thread; keep ours current for the copies.
        CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuCtxSetCurrent(context), "cuCtxSetCurrent");

        Check("cannot_reduce", () =>
        {
            var problems = new List<string>();
            foreach (var t in new[] { torch.ScalarType.Float32, torch.ScalarType.BFloat16, torch.ScalarType.Float16, torch.ScalarType.Float64, torch.ScalarType.Int32, torch.ScalarType.Int64 })
                if (backend.CannotReduce(t, ReduceOp.SUM) is { } why) problems.Add($"{t} refused: {why}");
            foreach (var t in new[] { torch.ScalarType.Bool, torch.ScalarType.Int16, torch.ScalarType.ComplexFloat32 })
                if (backend.CannotReduce(t, ReduceOp.SUM) is null) problems.Add($"{t} accepted");
            if (problems.Count > 0) throw new CheckFailed(string.Join("; ", problems));
            return "floats and int32/int64 reducible; bool, int16, complex refused";
        });

        // World size 1: every reduction is the identity, so the result must equal the input bit for bit,
        // and the 64 guard elements after the buffer must be untouched (a count in bytes instead of
        // elements would overrun them; a wrong type would change the bits of AVG).
        var reductions = new (torch.ScalarType Type, ReduceOp Op)[]
        {
            (torch.ScalarType.Float32, ReduceOp.SUM), (torch.ScalarType.Float32, ReduceOp.AVG), (torch.ScalarType.Float32, ReduceOp.MAX),
            (torch.ScalarType.Float32, ReduceOp.MIN), (torch.ScalarType.Float32, ReduceOp.PRODUCT),
            (torch.ScalarType.BFloat16, ReduceOp.SUM), (torch.ScalarType.BFloat16, ReduceOp.AVG), (torch.ScalarType.BFloat16, ReduceOp.MAX),
            (torch.ScalarType.Float16, ReduceOp.SUM), (torch.ScalarType.Float16, ReduceOp.AVG), (torch.ScalarType.Float16, ReduceOp.MAX),
            (torch.ScalarType.Float64, ReduceOp.SUM), (torch.ScalarType.Int32, ReduceOp.SUM), (torch.ScalarType.Int64, ReduceOp.MAX),
        };
        foreach (var (type, op) in reductions)
            Check($"all_reduce_{Short(type)}_{op.ToString().ToLowerInvariant()}", () => InPlace(type, 4099, data => backend.AllReduce(data, op, OpTimeout)));

        foreach (var type in new[] { torch.ScalarType.Float32, torch.ScalarType.BFloat16, torch.ScalarType.Int16 })
            Check($"broadcast_{Short(type)}", () => InPlace(type, 4099, data => backend.Broadcast(data, 0, OpTimeout)));

        foreach (var type in new[] { torch.ScalarType.Float32, torch.ScalarType.Float16, torch.ScalarType.Int16 })
            Check($"all_gather_{Short(type)}", () => OutOfPlace(type, 4099, (i, o) => backend.AllGather(i, o, OpTimeout)));

        foreach (var (type, op) in new[] { (torch.ScalarType.Float32, ReduceOp.SUM), (torch.ScalarType.BFloat16, ReduceOp.AVG), (torch.ScalarType.Float16, ReduceOp.MAX) })
            Check($"reduce_scatter_{Short(type)}_{op.ToString().ToLowerInvariant()}", () => OutOfPlace(type, 4099, (i, o) => backend.ReduceScatter(i, o, op, OpTimeout)));

        Check("stream_order", () => StreamOrder(backend, device));
        Check("large_all_reduce", () => Large(backend, device, largeMiB, iterations, gather: false), limitSeconds: 120);
        Check("large_all_gather", () => Large(backend, device, largeMiB, iterations, gather: true), limitSeconds: 120);
        Check("work_wait_pending", () => Pending(backend, device));
        Check("timeout_aborts_second_group", () => TimeoutAbort(store, device), limitSeconds: 90);
        Check("first_group_after_abort", () => InPlace(torch.ScalarType.Float32, 1000, data => backend.AllReduce(data, ReduceOp.SUM, OpTimeout)));

        // Not run: NcclBackend.Barrier allocates its one-element tensor through TorchSharp (torch.ones on
        // CUDA), which needs LibTorch's CUDA build. Calling it here would make TorchSharp look for LibTorch
        // (and, where a NuGet cache exists, copy ~480 MB of it beside this tool).
        Emit("info.barrier", "not run: NcclBackend.Barrier allocates through TorchSharp (torch.ones on CUDA), which needs LibTorch CUDA; this tool carries no LibTorch");

        Check("dispose", () =>
        {
            var sw = Stopwatch.StartNew();
            backend.Dispose();
            var ms = sw.Elapsed.TotalMilliseconds;
            backend.Dispose();
            try
            {
                using var buffer = new DeviceBuffer(64);
                backend.AllReduce(new CollectiveBuffer(buffer.Pointer, 16, torch.ScalarType.Float32, device), ReduceOp.SUM, OpTimeout).Dispose();
                throw new CheckFailed("all_reduce after Dispose did not throw");
            }
            catch (ObjectDisposedException) { }
            CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuCtxSetCurrent(primary), "cuCtxSetCurrent");
            CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize after Dispose");
            return $"disposed in {ms:0.0} ms; second Dispose no-op; later all_reduce -> ObjectDisposedException";
        });

        StopWatchdog();
        DistTrain.Native.CudaDriverMethods.cuDevicePrimaryCtxRelease(dev);
        Emit("result", failed == 0 ? "all-passed" : "some-failed");
        Summary();
        return failed == 0 ? 0 : ExitFailed;
    }

    // ---- the checks ----

    private static string InPlace(torch.ScalarType type, int count, Func<CollectiveBuffer, ICollectiveWork> collective)
    {
        const int guard = 64;
        var size = (int)ElementSize(type);
        var input = Pattern(type, count + guard, seed: 1);
        var guardBytes = input.AsSpan(count * size).ToArray();
        using var buffer = new DeviceBuffer(input.Length);
        buffer.Upload(input);
        var sw = Stopwatch.StartNew();
        using (var work = collective(new CollectiveBuffer(buffer.Pointer, count, type, new torch.Device(DeviceType.CUDA, 0))))
            Expect(work.Wait(OpTimeout), "wait");
        var ms = sw.Elapsed.TotalMilliseconds;
        var output = buffer.Download();
        CompareBytes(input.AsSpan(0, count * size), output.AsSpan(0, count * size), type, "result");
        CompareBytes(guardBytes, output.AsSpan(count * size), type, "guard after the buffer");
        return $"{count} {type} exact, guard intact, {ms:0.000} ms";
    }

    // World size 1: the output (size × input's elements for all_gather, output = input block 0 for
    // reduce_scatter) must equal the input; it starts as a sentinel so a missing copy shows.
    private static string OutOfPlace(torch.ScalarType type, int count, Func<CollectiveBuffer, CollectiveBuffer, ICollectiveWork> collective)
    {
        const int guard = 64;
        var size = (int)ElementSize(type);
        var input = Pattern(type, count, seed: 2);
        using var inBuffer = new DeviceBuffer(input.Length);
        using var outBuffer = new DeviceBuffer((count + guard) * size);
        inBuffer.Upload(input);
        var sentinel = new byte[outBuffer.Bytes];
        sentinel.AsSpan().Fill(0x5A);
        outBuffer.Upload(sentinel);
        var device = new torch.Device(DeviceType.CUDA, 0);
        var sw = Stopwatch.StartNew();
        using (var work = collective(new CollectiveBuffer(inBuffer.Pointer, count, type, device), new CollectiveBuffer(outBuffer.Pointer, count, type, device)))
            Expect(work.Wait(OpTimeout), "wait");
        var ms = sw.Elapsed.TotalMilliseconds;
        var output = outBuffer.Download();
        CompareBytes(input, output.AsSpan(0, count * size), type, "output");
        if (output.AsSpan(count * size).ContainsAnyExcept((byte)0x5A)) throw new CheckFailed("the guard after the output was overwritten (count in bytes instead of elements?)");
        var again = inBuffer.Download();
        CompareBytes(input, again, type, "input (must be unchanged)");
        return $"{count} {type} exact, guard intact, {ms:0.000} ms";
    }

    // The collective must run after what the compute (legacy default) stream queued before it: an
    // asynchronous memset of the input, queued just before an out-of-place all_gather, must be what lands.
    private static string StreamOrder(NcclBackend backend, torch.Device device)
    {
        const long count = 16L << 20; // 64 MiB of float32
        using var input = new DeviceBuffer(count * 4);
        using var output = new DeviceBuffer(count * 4);
        for (var round = 0u; round < 3; round++)
        {
            var before = 0x11111111u + round;
            var after = 0x3F800000u + round; // near 1.0f
            input.Fill(before);
            output.Fill(0);
            for (var k = 0; k < 8; k++) // the last memset wins; eight make the window wide
                CudaDriver.Check(CudaDriver.cuMemsetD32Async(input.Pointer, k == 7 ? after : before ^ (uint)k, (nuint)count, IntPtr.Zero), "cuMemsetD32Async");
            using (var work = backend.AllGather(new CollectiveBuffer(input.Pointer, count, torch.ScalarType.Float32, device),
                       new CollectiveBuffer(output.Pointer, count, torch.ScalarType.Float32, device), OpTimeout))
                Expect(work.Wait(OpTimeout), "wait");
            var words = MemoryMarshal.Cast<byte, uint>(output.Download());
            var wrong = words.IndexOfAnyExcept(after);
            if (wrong >= 0) throw new CheckFailed($"round {round}: output word {wrong} is 0x{words[wrong]:X8}, not 0x{after:X8}: the collective did not wait for the compute stream");
        }
        return "3 rounds: all_gather saw the memsets queued before it on the legacy stream";
    }

    private static string Large(NcclBackend backend, torch.Device device, int mib, int iterations, bool gather)
    {
        var bytes = (long)mib << 20;
        var count = bytes / 4;
        using var data = new DeviceBuffer(bytes);
        using var output = gather ? new DeviceBuffer(bytes) : null;
        data.Fill(0x3F800000u); // 1.0f
        var input = new CollectiveBuffer(data.Pointer, count, torch.ScalarType.Float32, device);
        var target = output is null ? input : new CollectiveBuffer(output.Pointer, count, torch.ScalarType.Float32, device);
        ICollectiveWork Start() => gather ? backend.AllGather(input, target, OpTimeout) : backend.AllReduce(input, ReduceOp.SUM, OpTimeout);

        for (var i = 0; i < 3; i++)
            using (var w = Start()) Expect(w.Wait(OpTimeout), "warm-up wait");
        CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize");

        // Each: launch, then Work.Wait until NCCL's event fired (what a training step sees).
        var times = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var sw = Stopwatch.StartNew();
            using (var w = Start()) Expect(w.Wait(OpTimeout), "wait");
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        // Back to back: all launched, then all waited for.
        var burst = Stopwatch.StartNew();
        var works = new List<ICollectiveWork>();
        for (var i = 0; i < iterations; i++) works.Add(Start());
        foreach (var w in works) Expect(w.Wait(OpTimeout), "burst wait");
        var burstMs = burst.Elapsed.TotalMilliseconds / iterations;
        foreach (var w in works) w.Dispose();

        var words = MemoryMarshal.Cast<byte, uint>((output ?? data).Download());
        var wrong = words.IndexOfAnyExcept(0x3F800000u);
        if (wrong >= 0) throw new CheckFailed($"element {wrong} is 0x{words[wrong]:X8} instead of 1.0f");

        Array.Sort(times);
        var median = times[iterations / 2];
        var name = gather ? "large_all_gather" : "large_all_reduce";
        Emit($"{name}.bytes", bytes.ToString(Inv));
        Emit($"{name}.iterations", iterations.ToString(Inv));
        Emit($"{name}.min_ms", times[0].ToString("0.0000", Inv));
        Emit($"{name}.median_ms", median.ToString("0.0000", Inv));
        Emit($"{name}.max_ms", times[^1].ToString("0.0000", Inv));
        Emit($"{name}.burst_ms_per_op", burstMs.ToString("0.0000", Inv));
        Emit($"{name}.algbw_GBps", (bytes / (median / 1000) / 1e9).ToString("0.0", Inv));
        return $"{mib} MiB float32 x{iterations}: median {median:0.0000} ms (min {times[0]:0.0000}, max {times[^1]:0.0000}), burst {burstMs:0.0000} ms/op, values exact";
    }

    // A collective whose compute stream is held stays pending: Wait with a short timeout answers Pending
    // (DT_WORK_PENDING) without aborting; once the stream is released, Wait completes it with exact values.
    private static string Pending(NcclBackend backend, torch.Device device)
    {
        const int count = 1 << 16;
        var input = Pattern(torch.ScalarType.Float32, count, seed: 3);
        using var buffer = new DeviceBuffer(input.Length);
        buffer.Upload(input);
        ICollectiveWork? work = null;
        string method;
        CollectiveOutcome first;
        bool completedWhileHeld;
        using (var gate = new StreamGate())
        {
            method = gate.Method;
            Emit("work_wait_pending.method", method);
            work = backend.AllReduce(new CollectiveBuffer(buffer.Pointer, count, torch.ScalarType.Float32, device), ReduceOp.SUM, OpTimeout);
            var sw = Stopwatch.StartNew();
            first = work.Wait(TimeSpan.FromMilliseconds(gate.Holds ? 50 : 1));
            Emit("work_wait_pending.first_wait_ms", sw.Elapsed.TotalMilliseconds.ToString("0.00", Inv));
            completedWhileHeld = work.IsCompleted;
            if (gate.Holds)
            {
                var second = work.Wait(TimeSpan.FromMilliseconds(20));
                if (second.Status != WorkStatus.Pending) throw new CheckFailed($"a second short wait answered {second.Status} ({second.Message}) while the stream was still held");
            }
            gate.Release();
        }
        try
        {
            if (first.Status != WorkStatus.Pending) throw new CheckFailed($"the short wait answered {first.Status} ({first.Message}), not Pending ({(int)WorkStatus.Pending}), with the stream held by {method}");
            if (completedWhileHeld) throw new CheckFailed("IsCompleted was true while the compute stream was held");
            var sw = Stopwatch.StartNew();
            Expect(work.Wait(null), "wait after release");
            var ms = sw.Elapsed.TotalMilliseconds;
            if (!work.IsCompleted) throw new CheckFailed("IsCompleted false after a successful wait");
            Expect(work.Wait(TimeSpan.Zero), "wait again after success");
            CompareBytes(input, buffer.Download(), torch.ScalarType.Float32, "result after release");
            return $"short wait -> Pending ({(int)WorkStatus.Pending}), IsCompleted false while held; released -> Done in {ms:0.00} ms, values exact";
        }
        finally
        {
            work.Dispose();
        }
    }

    // A second group on the same store (tickets: key disttrain/nccl/1/unique-id): its all_reduce with a
    // 300 ms timeout behind a held compute stream must end TimedOut and abort that communicator; the next
    // collective of that group answers Broken at once. The first group must be unaffected (checked next).
    private static string TimeoutAbort(MemoryStore store, torch.Device device)
    {
        var second = NcclBackend.Connect(store, 0, 1, device, TimeSpan.FromSeconds(60));
        var keys = string.Join(",", store.Keys.Order());
        try
        {
            if (!store.Keys.Contains("disttrain/nccl/1/unique-id")) throw new CheckFailed($"the second group did not draw ticket 1; keys: {keys}");
            using var buffer = new DeviceBuffer(4096);
            var data = new CollectiveBuffer(buffer.Pointer, 1024, torch.ScalarType.Float32, device);
            // One collective first, so that NCCL's lazy set-up (which may synchronise) is not behind the held stream.
            using (var warm = second.AllReduce(data, ReduceOp.SUM, OpTimeout)) Expect(warm.Wait(OpTimeout), "warm-up wait");
            CollectiveOutcome outcome, broken;
            double ms;
            using (var gate = new StreamGate(releaseAfterMs: 3000))
            {
                if (!gate.Holds) return Skip($"the stream cannot be held ({gate.Method})");
                using var work = second.AllReduce(data, ReduceOp.SUM, TimeSpan.FromMilliseconds(300));
                var sw = Stopwatch.StartNew();
                outcome = work.Wait(null);
                ms = sw.Elapsed.TotalMilliseconds;
                using var next = second.AllReduce(data, ReduceOp.SUM, OpTimeout);
                broken = next.Wait(OpTimeout);
                gate.Release();
            }
            CudaDriver.Check(CudaDriver.cuCtxSynchronize(), "cuCtxSynchronize after abort");
            if (outcome.Status != WorkStatus.TimedOut) throw new CheckFailed($"the held all_reduce ended {outcome.Status} ({outcome.Message}), not TimedOut");
            if (ms < 250 || ms > 2500) throw new CheckFailed($"TimedOut after {ms:0} ms for a 300 ms timeout{(ms >= 2500 ? " (the gate's 3 s safety release came first: did ncclCommAbort wait for the held stream?)" : "")}");
            if (broken.Status != WorkStatus.Broken) throw new CheckFailed($"the next collective ended {broken.Status} ({broken.Message}), not Broken");
            Emit("timeout_aborts_second_group.message", outcome.Message);
            Emit("timeout_aborts_second_group.next_message", broken.Message);
            return $"TimedOut after {ms:0} ms, communicator aborted, next collective Broken; store keys {keys}";
        }
        finally
        {
            second.Dispose();
        }
    }

    // ---- data ----

    private static long ElementSize(torch.ScalarType type) => TensorMemory.ElementSize(type);

    private static string Short(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => "f32",
        torch.ScalarType.Float64 => "f64",
        torch.ScalarType.BFloat16 => "bf16",
        torch.ScalarType.Float16 => "f16",
        torch.ScalarType.Int16 => "i16",
        torch.ScalarType.Int32 => "i32",
        torch.ScalarType.Int64 => "i64",
        _ => type.ToString().ToLowerInvariant(),
    };

    // Finite, distinct-looking values of every sign and a wide range of magnitudes, as the type's bits.
    private static byte[] Pattern(torch.ScalarType type, int count, int seed)
    {
        var size = (int)ElementSize(type);
        var bytes = new byte[count * size];
        var rng = new Random(seed * 7919 + (int)type);
        for (var i = 0; i < count; i++)
        {
            var f = (float)((rng.Next(-4096, 4097) / 64.0) * Math.Pow(2, rng.Next(-8, 9)));
            var span = bytes.AsSpan(i * size, size);
            switch (type)
            {
                case torch.ScalarType.Float32: BitConverter.TryWriteBytes(span, f); break;
                case torch.ScalarType.Float64: BitConverter.TryWriteBytes(span, (double)f); break;
                case torch.ScalarType.BFloat16: BitConverter.TryWriteBytes(span, (ushort)(BitConverter.SingleToUInt32Bits(f) >> 16)); break;
                case torch.ScalarType.Float16: BitConverter.TryWriteBytes(span, BitConverter.HalfToUInt16Bits((Half)f)); break;
                case torch.ScalarType.Int16: BitConverter.TryWriteBytes(span, (short)rng.Next(short.MinValue, short.MaxValue)); break;
                case torch.ScalarType.Int32: BitConverter.TryWriteBytes(span, rng.Next(int.MinValue, int.MaxValue)); break;
                case torch.ScalarType.Int64: BitConverter.TryWriteBytes(span, rng.NextInt64(long.MinValue, long.MaxValue)); break;
                default: throw new ArgumentOutOfRangeException(nameof(type), type, "no pattern for this type");
            }
        }
        return bytes;
    }

    private static void CompareBytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, torch.ScalarType type, string what)
    {
        if (expected.Length != actual.Length) throw new CheckFailed($"{what}: {actual.Length} bytes instead of {expected.Length}");
        var at = expected.CommonPrefixLength(actual);
        if (at == expected.Length) return;
        var size = (int)ElementSize(type);
        var element = at / size;
        var mismatches = 0;
        for (var i = 0; i < expected.Length; i += size)
            if (!expected.Slice(i, size).SequenceEqual(actual.Slice(i, size))) mismatches++;
        throw new CheckFailed($"{what}: element {element} is {Convert.ToHexString(actual.Slice(element * size, size))} instead of {Convert.ToHexString(expected.Slice(element * size, size))} ({mismatches} of {expected.Length / size} elements differ)");
    }

    private static void Expect(CollectiveOutcome outcome, string what)
    {
        if (outcome.Status != WorkStatus.Done) throw new CheckFailed($"{what}: {outcome.Status} ({(int)outcome.Status}) {outcome.Message}");
    }

    // ---- driver, output, watchdog ----

    private static (string State, int Exit) ProbeDriver()
    {
        try
        {
            var r = DistTrain.Native.CudaDriverMethods.cuInit(0);
            if (r != 0) return ($"present, cuInit failed: {CudaDriver.Describe(r)}", ExitNoGpu);
            int version, count;
            CudaDriver.Check(CudaDriver.cuDriverGetVersion(&version), "cuDriverGetVersion");
            CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuDeviceGetCount(&count), "cuDeviceGetCount");
            Emit("cuda_driver_api_version", $"{version / 1000}.{version % 1000 / 10}");
            Emit("cuda_device_count", count.ToString(Inv));
            if (count == 0) return ("present, no visible device", ExitNoGpu);
            int dev, major, minor;
            nuint total;
            var name = stackalloc byte[256];
            CudaDriver.Check(DistTrain.Native.CudaDriverMethods.cuDeviceGet(&dev, 0), "cuDeviceGet");
            CudaDriver.Check(CudaDriver.cuDeviceGetName(name, 256, dev), "cuDeviceGetName");
            CudaDriver.Check(CudaDriver.cuDeviceTotalMem(&total, dev), "cuDeviceTotalMem");
            CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(&major, CudaDriver.AttributeComputeCapabilityMajor, dev), "cuDeviceGetAttribute");
            CudaDriver.Check(CudaDriver.cuDeviceGetAttribute(&minor, CudaDriver.AttributeComputeCapabilityMinor, dev), "cuDeviceGetAttribute");
            Emit("cuda_device0_name", Marshal.PtrToStringUTF8((IntPtr)name) ?? "?");
            Emit("cuda_device0_memory_gib", (total / (double)(1L << 30)).ToString("0.0", Inv));
            Emit("cuda_device0_compute_capability", $"{major}.{minor}");
            return ("present", 0);
        }
        catch (DllNotFoundException e)
        {
            // .NET lists every path it tried; "No such file" everywhere just means there is no driver.
            var detail = e.Message.Contains("cannot open shared object file: No such file", StringComparison.Ordinal) && !e.Message.Contains("libcuda.so.1: undefined", StringComparison.Ordinal)
                ? "not found by the dynamic loader: no NVIDIA driver on this machine"
                : OneLine(e.Message);
            return ($"missing: libcuda.so.1 could not be loaded ({detail})", ExitNoGpu);
        }
        catch (Exception e)
        {
            return ($"error: {Describe(e)}", ExitNoGpu);
        }
    }

    private static string? MappedLibrary(string fragment)
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Where(p => p.Length >= 6 && p[5].Contains(fragment, StringComparison.Ordinal))
                .Select(p => p[5]).FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Check(string name, Func<string> body, int limitSeconds = 60)
    {
        Arm(name, limitSeconds);
        try
        {
            var detail = body();
            if (detail.StartsWith("SKIP ", StringComparison.Ordinal))
            {
                Emit($"check.{name}", detail);
                return;
            }
            Interlocked.Increment(ref passed);
            Emit($"check.{name}", "PASS " + detail);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref failed);
            Emit($"check.{name}", "FAIL " + Describe(e));
        }
        finally
        {
            Disarm();
        }
    }

    private static string Skip(string why) => "SKIP " + why;

    private static string Describe(Exception e)
    {
        var text = e is CheckFailed ? e.Message : $"{e.GetType().Name}: {e.Message}";
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException) text += $" <- {inner.GetType().Name}: {inner.Message}";
        if (e is not CheckFailed && e.StackTrace is { } trace)
            text += " @ " + string.Join(" | ", trace.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(4));
        return OneLine(text);
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" | ");

    private static void Emit(string key, string value)
    {
        lock (OutputLock)
        {
            Console.Out.WriteLine($"{key}={OneLine(value)}");
            Console.Out.Flush();
        }
    }

    private static void Summary()
    {
        lock (OutputLock)
        {
            Console.Out.WriteLine($"SUMMARY passed={Volatile.Read(ref passed)} failed={Volatile.Read(ref failed)}");
            Console.Out.Flush();
        }
    }

    private static void Arm(string name, int seconds)
    {
        Volatile.Write(ref currentCheck, name);
        Interlocked.Exchange(ref currentDeadline, Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency);
    }

    private static void Disarm()
    {
        Interlocked.Exchange(ref currentDeadline, long.MaxValue);
        Volatile.Write(ref currentCheck, null);
    }

    private static volatile bool watchdogStopped;

    private static void StartWatchdog()
    {
        var thread = new Thread(() =>
        {
            while (!watchdogStopped)
            {
                Thread.Sleep(500);
                if (Stopwatch.GetTimestamp() <= Interlocked.Read(ref currentDeadline)) continue;
                Interlocked.Increment(ref failed);
                Emit($"check.{Volatile.Read(ref currentCheck)}", "FAIL hung past its limit: the watchdog ends the run (exit 5)");
                Emit("result", "hung");
                Summary();
                Environment.Exit(ExitHung);
            }
        })
        { IsBackground = true, Name = "watchdog" };
        thread.Start();
    }

    private static void StopWatchdog() => watchdogStopped = true;

    private sealed class CheckFailed(string message) : Exception(message);
}
