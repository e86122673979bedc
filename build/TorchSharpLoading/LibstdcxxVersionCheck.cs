// Compiled twice: by MSBuild's RoslynCodeTaskFactory as the task of TorchSharpLoading.targets, and
// into tests/DistTrain.Build.Tests. It may use only netstandard2.0's BCL and Microsoft.Build.Utilities.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DistTrain.Build
{
    /// <summary>
    /// Makes TorchSharp's native library load on systems whose libstdc++ is older than the one it was
    /// linked against (Debian 12, Ubuntu 22.04 and RHEL 9 ship GCC 12's, GLIBCXX_3.4.30).
    /// libLibTorchSharp.so 0.107 asks for GLIBCXX_3.4.32 for one symbol only,
    /// std::ios_base_library_init, which GCC 13's &lt;iostream&gt; emits as a link-time anchor that
    /// nothing calls. Marking that one version requirement weak (VER_FLG_WEAK) lets ld.so load the
    /// library; anything else the system lacks is refused with the list of what is missing.
    /// The build output's copy is edited, never the NuGet cache's: a hard-linked copy is replaced by
    /// a private one first.
    /// </summary>
    public sealed class PrepareTorchSharpNativeLibrary : Microsoft.Build.Utilities.Task
    {
        /// <summary>The libLibTorchSharp.so files of a build or publish output.</summary>
        [Required]
        public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The libstdc++.so.6 to check against; empty: the one this build process runs with.</summary>
        public string SystemLibstdcxx { get; set; } = "";

        public override bool Execute()
        {
            if (Libraries.Length == 0) return true;
            var system = SystemLibstdcxx.Length > 0 ? SystemLibstdcxx : LibstdcxxVersionCheck.FindSystemLibstdcxx();
            if (system is null)
            {
                Log.LogWarning("DistTrain: could not find this system's libstdc++.so.6; TorchSharp's native library was left as it is.");
                return true;
            }

            foreach (var library in Libraries.Select(l => l.ItemSpec).Distinct())
            {
                var outcome = LibstdcxxVersionCheck.Prepare(library, system);
                if (outcome.Error is not null)
                {
                    Log.LogError(outcome.Error);
                    return false;
                }
                if (outcome.Patched) Log.LogMessage(MessageImportance.High, outcome.Message);
                else Log.LogMessage(MessageImportance.Low, outcome.Message);
            }
            return true;
        }
    }

    /// <summary>What <see cref="LibstdcxxVersionCheck.Prepare"/> did: patched, nothing needed, or refused (Error).</summary>
    public sealed class PrepareOutcome
    {
        public bool Patched { get; set; }
        public string Message { get; set; } = "";
        public string? Error { get; set; }
    }

    /// <summary>The ELF reading and the one edit behind <see cref="PrepareTorchSharpNativeLibrary"/>.</summary>
    public static class LibstdcxxVersionCheck
    {
        /// <summary>The only version requirement it is safe to relax, and the only symbol that may carry it.</summary>
        public const string RelaxableVersion = "GLIBCXX_3.4.32";
        public const string AnchorSymbol = "_ZSt21ios_base_library_initv";
        private const string Libstdcxx = "libstdc++.so.6";

        private const uint ShtRela = 4, ShtDynsym = 11, ShtVerdef = 0x6ffffffd, ShtVerneed = 0x6ffffffe, ShtVersym = 0x6fffffff;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>
        /// Checks <paramref name="library"/>'s libstdc++ version requirements against
        /// <paramref name="systemLibstdcxx"/>'s definitions and, when only GLIBCXX_3.4.32 is missing and it
        /// covers nothing but the unreferenced anchor symbol, marks that requirement weak in place.
        /// </summary>
        public static PrepareOutcome Prepare(string library, string systemLibstdcxx)
        {
            var bytes = File.ReadAllBytes(library);
            var elf = new Elf(bytes, library);
            var provided = new HashSet<string>(new Elf(File.ReadAllBytes(systemLibstdcxx), systemLibstdcxx).DefinedVersions());
            var needed = elf.NeededVersions().Where(v => v.File == Libstdcxx).ToList();
            var missing = needed.Where(v => !provided.Contains(v.Name)).ToList();
            var strict = missing.Where(v => !v.Weak).ToList();
            var newest = provided.Where(v => v.StartsWith("GLIBCXX_3.", StringComparison.Ordinal)).OrderBy(VersionKey).LastOrDefault() ?? "none";

            if (strict.Count == 0)
            {
                return new PrepareOutcome
                {
                    Message = missing.Count == 0
                        ? $"DistTrain: {library} needs nothing that {systemLibstdcxx} lacks."
                        : $"DistTrain: {library} is already prepared for {systemLibstdcxx} ({string.Join(", ", missing.Select(v => v.Name))} weak).",
                };
            }

            var others = strict.Where(v => v.Name != RelaxableVersion).Select(v => v.Name).ToList();
            if (others.Count > 0)
            {
                return Refuse(library, systemLibstdcxx, newest,
                    $"it needs {string.Join(", ", strict.Select(v => v.Name))}, and only {RelaxableVersion} (one unused link-anchor symbol) is safe to relax");
            }

            var relaxable = strict.Single();
            var carriers = elf.SymbolsWithVersionIndex(relaxable.Index).ToList();
            if (carriers.Any(s => s != AnchorSymbol))
            {
                return Refuse(library, systemLibstdcxx, newest,
                    $"{RelaxableVersion} covers symbols that are really used ({string.Join(", ", carriers.Where(s => s != AnchorSymbol))}), not only {AnchorSymbol}");
            }
            if (elf.RelocatedSymbols().Contains(AnchorSymbol))
            {
                return Refuse(library, systemLibstdcxx, newest, $"a relocation refers to {AnchorSymbol}, so it is not only a link-time anchor");
            }

            bytes[relaxable.FlagsOffset] |= (byte)VerFlgWeak;
            ReplaceWithPrivateCopy(library, bytes);
            return new PrepareOutcome
            {
                Patched = true,
                Message = $"DistTrain: marked {RelaxableVersion} weak in {library}: {systemLibstdcxx} has up to {newest}, and TorchSharp needs {RelaxableVersion} only for {AnchorSymbol}, which nothing calls.",
            };
        }

        /// <summary>The libstdc++.so.6 this process has mapped (the one ld.so picks here), else the usual locations.</summary>
        public static string? FindSystemLibstdcxx()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/maps"))
                {
                    var path = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
                    if (path is not null && path.StartsWith("/", StringComparison.Ordinal) && Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal))
                        return path;
                }
            }
            catch (IOException)
            {
                // not Linux, or no /proc: try the usual places
            }
            string[] places = { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" };
            return places.Select(p => Path.Combine(p, Libstdcxx)).FirstOrDefault(File.Exists);
        }

        private static PrepareOutcome Refuse(string library, string system, string newest, string why) => new PrepareOutcome
        {
            Error = $"DistTrain: TorchSharp's native library {library} cannot load with this system's libstdc++ ({system}, up to {newest}): {why}. " +
                    "Install a libstdc++ from GCC 13 or newer (a newer distribution, or your toolchain's runtime on LD_LIBRARY_PATH), or use a TorchSharp built against this one.",
        };

        // The output file may be a hard link to the NuGet cache's: write a new file and move it over the
        // name, so the cache (and every other output linked to it) keeps the original. The copy keeps the
        // original's time stamp, so incremental builds see it as up to date and do not copy it again.
        private static void ReplaceWithPrivateCopy(string path, byte[] bytes)
        {
            var stamp = File.GetLastWriteTimeUtc(path);
            var temporary = path + ".disttrain-tmp";
            File.WriteAllBytes(temporary, bytes);
            File.SetLastWriteTimeUtc(temporary, stamp);
            File.Delete(path);
            File.Move(temporary, path);
        }

        private static Version VersionKey(string name) =>
            Version.TryParse(name.Substring(name.IndexOf('_') + 1), out var v) ? v : new Version(0, 0);

        /// <summary>A version requirement (Vernaux entry).</summary>
        public sealed class NeededVersion
        {
            public string File { get; set; } = "";
            public string Name { get; set; } = "";
            public bool Weak { get; set; }
            public ushort Index { get; set; }
            public int FlagsOffset { get; set; }
        }

        /// <summary>The few ELF64 little-endian tables this needs: section headers, version needs and definitions, dynamic symbols, relocations.</summary>
        private sealed class Elf
        {
            private readonly byte[] b;
            private readonly string path;
            private readonly List<(uint Type, long Offset, long Size, uint Link)> sections = new List<(uint, long, long, uint)>();

            public Elf(byte[] bytes, string path)
            {
                b = bytes;
                this.path = path;
                if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F' || b[4] != 2 || b[5] != 1)
                    throw new InvalidDataException($"{path} is not a 64-bit little-endian ELF file.");
                var shoff = (long)U64(0x28);
                var shentsize = U16(0x3A);
                var shnum = U16(0x3C);
                for (var i = 0; i < shnum; i++)
                {
                    var h = shoff + i * shentsize;
                    sections.Add((U32(h + 4), (long)U64(h + 24), (long)U64(h + 32), U32(h + 40)));
                }
            }

            public IEnumerable<string> DefinedVersions()
            {
                foreach (var s in sections.Where(s => s.Type == ShtVerdef))
                {
                    var strings = sections[(int)s.Link].Offset;
                    var at = s.Offset;
                    while (true)
                    {
                        var aux = at + U32(at + 12);
                        yield return Str(strings + U32(aux));
                        var next = U32(at + 16);
                        if (next == 0) break;
                        at += next;
                    }
                }
            }

            public IEnumerable<NeededVersion> NeededVersions()
            {
                foreach (var s in sections.Where(s => s.Type == ShtVerneed))
                {
                    var strings = sections[(int)s.Link].Offset;
                    var at = s.Offset;
                    while (true)
                    {
                        var count = U16(at + 2);
                        var file = Str(strings + U32(at + 4));
                        var aux = at + U32(at + 8);
                        for (var i = 0; i < count; i++)
                        {
                            yield return new NeededVersion
                            {
                                File = file,
                                Name = Str(strings + U32(aux + 8)),
                                Weak = (U16(aux + 4) & VerFlgWeak) != 0,
                                Index = (ushort)(U16(aux + 6) & 0x7fff),
                                FlagsOffset = checked((int)(aux + 4)),
                            };
                            aux += U32(aux + 12);
                        }
                        var next = U32(at + 12);
                        if (next == 0) break;
                        at += next;
                    }
                }
            }

            public IEnumerable<string> SymbolsWithVersionIndex(ushort index)
            {
                var versym = sections.FirstOrDefault(s => s.Type == ShtVersym);
                if (versym.Size == 0) yield break;
                var symbols = DynamicSymbols();
                for (var i = 0; i < symbols.Count; i++)
                    if ((U16(versym.Offset + 2L * i) & 0x7fff) == index) yield return symbols[i];
            }

            public HashSet<string> RelocatedSymbols()
            {
                var symbols = DynamicSymbols();
                var dynsymIndex = sections.FindIndex(s => s.Type == ShtDynsym);
                var used = new HashSet<string>();
                foreach (var r in sections.Where(s => s.Type == ShtRela && s.Link == dynsymIndex))
                {
                    for (var at = r.Offset; at + 24 <= r.Offset + r.Size; at += 24)
                    {
                        var symbol = (int)(U64(at + 8) >> 32);
                        if (symbol > 0 && symbol < symbols.Count) used.Add(symbols[symbol]);
                    }
                }
                return used;
            }

            private List<string> DynamicSymbols()
            {
                var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
                if (dynsym.Size == 0) throw new InvalidDataException($"{path} has no dynamic symbol table.");
                var strings = sections[(int)dynsym.Link].Offset;
                var names = new List<string>();
                for (var at = dynsym.Offset; at + 24 <= dynsym.Offset + dynsym.Size; at += 24) names.Add(Str(strings + U32(at)));
                return names;
            }

            private ushort U16(long at) => BitConverter.ToUInt16(b, checked((int)at));
            private uint U32(long at) => BitConverter.ToUInt32(b, checked((int)at));
            private ulong U64(long at) => BitConverter.ToUInt64(b, checked((int)at));

            private string Str(long at)
            {
                var end = Array.IndexOf(b, (byte)0, checked((int)at));
                return Encoding.ASCII.GetString(b, (int)at, end - (int)at);
            }
        }
    }
}
