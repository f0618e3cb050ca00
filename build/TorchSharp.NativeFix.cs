// The one copy of the libLibTorchSharp.so fix. Two builds compile it:
// - the library (Microsoft.ML.AdaptivePruning defines ADAPTIVE_PRUNING_LIBRARY), which patches a cached copy when it
//   first loads TorchSharp (Training/TorchNativeLoader.cs), for hosts that load natives from the NuGet cache;
// - TorchSharp.NativeFix.targets (RoslynCodeTaskFactory, Type="Class"), which patches an app's output folder at
//   build time and so also needs the MSBuild task at the end of this file.
#nullable enable
using System;
using System.IO;
using System.Text;
#if !ADAPTIVE_PRUNING_LIBRARY
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace Microsoft.ML.AdaptivePruning.NativeFix
{
    /// <summary>
    /// Reads and weakens the symbol-version requirements of a little-endian ELF64 shared library.
    /// </summary>
    /// <remarks>
    /// libLibTorchSharp.so (TorchSharp 0.107) asks for GLIBCXX_3.4.32, which Debian 12's libstdc++ lacks (it stops at
    /// 3.4.30). The only symbol under that version, _ZSt21ios_base_library_initv, is never bound, so marking the
    /// requirement weak (VER_FLG_WEAK in .gnu.version_r) lets the loader proceed. Where the system libstdc++ has the
    /// version nothing is changed.
    /// </remarks>
    internal static class ElfVersionRequirement
    {
        /// <summary>The version libLibTorchSharp.so needs and Debian 12 lacks.</summary>
        public const string GlibcxxVersion = "GLIBCXX_3.4.32";

        private const uint SectionTypeVersionNeed = 0x6ffffffe; // SHT_GNU_verneed
        private const ushort WeakFlag = 0x2;                      // VER_FLG_WEAK

        private static readonly string[] SystemLibStdCxx =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        };

        /// <summary>True when a system libstdc++ defines <paramref name="versionName"/> (its name appears in the file).</summary>
        public static bool SystemProvides(string versionName)
        {
            byte[] wanted = Encoding.ASCII.GetBytes(versionName + "\0");
            foreach (string candidate in SystemLibStdCxx)
            {
                if (File.Exists(candidate) && Contains(File.ReadAllBytes(candidate), wanted)) return true;
            }
            return false;
        }

        /// <summary>True when <paramref name="elf"/> starts like a little-endian ELF64 file.</summary>
        public static bool IsLittleEndianElf64(byte[] elf) =>
            elf.Length >= 64 && elf[0] == 0x7f && elf[1] == (byte)'E' && elf[2] == (byte)'L' && elf[3] == (byte)'F' && elf[4] == 2 && elf[5] == 1;

        /// <summary>
        /// Marks every non-weak requirement of <paramref name="versionName"/> in <paramref name="elf"/> weak, in place,
        /// and returns how many it changed (0 when there were none, so the file needs no patch).
        /// </summary>
        public static int Weaken(byte[] elf, string versionName)
        {
            if (!IsLittleEndianElf64(elf)) throw new InvalidDataException("Not a little-endian ELF64 file.");
            long sectionTable = BitConverter.ToInt64(elf, 0x28);
            int entrySize = BitConverter.ToUInt16(elf, 0x3A);
            int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
            int changed = 0;
            for (int s = 0; s < sectionCount; s++)
            {
                int header = checked((int)(sectionTable + (long)s * entrySize));
                if (BitConverter.ToUInt32(elf, header + 4) != SectionTypeVersionNeed) continue;
                long need = BitConverter.ToInt64(elf, header + 0x18);
                int linkedStrings = (int)BitConverter.ToUInt32(elf, header + 0x28);
                int needCount = (int)BitConverter.ToUInt32(elf, header + 0x2C);
                long strings = BitConverter.ToInt64(elf, checked((int)(sectionTable + (long)linkedStrings * entrySize)) + 0x18);
                for (int n = 0; n < needCount; n++)
                {
                    int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                    long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                    for (int a = 0; a < auxCount; a++)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if (NameAt(elf, strings + BitConverter.ToUInt32(elf, (int)aux + 8)) == versionName && (flags & WeakFlag) == 0)
                        {
                            flags |= WeakFlag;
                            elf[aux + 4] = (byte)(flags & 0xff);
                            elf[aux + 5] = (byte)(flags >> 8);
                            changed++;
                        }
                        aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                    }
                    need += BitConverter.ToUInt32(elf, (int)need + 12);
                }
            }
            return changed;
        }

        private static string NameAt(byte[] elf, long offset)
        {
            int start = checked((int)offset), end = start;
            while (elf[end] != 0) end++;
            return Encoding.ASCII.GetString(elf, start, end - start);
        }

        private static bool Contains(byte[] data, byte[] wanted)
        {
            for (int i = 0; i + wanted.Length <= data.Length; i++)
            {
                int j = 0;
                while (j < wanted.Length && data[i + j] == wanted[j]) j++;
                if (j == wanted.Length) return true;
            }
            return false;
        }
    }

#if !ADAPTIVE_PRUNING_LIBRARY
    /// <summary>The build-time fix: weakens the requirement in the listed libraries of an output or publish folder.</summary>
    public sealed class AdaptivePruningWeakenGlibcxxRequirement : Task
    {
        /// <summary>Library files to patch; missing ones are skipped.</summary>
        [Required]
        public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>The symbol version to mark weak.</summary>
        [Required]
        public string VersionName { get; set; } = ElfVersionRequirement.GlibcxxVersion;

        public override bool Execute()
        {
            if (ElfVersionRequirement.SystemProvides(VersionName))
            {
                Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; no patch needed.");
                return true;
            }
            foreach (ITaskItem item in Libraries)
            {
                string path = item.ItemSpec;
                if (!File.Exists(path)) continue;
                byte[] elf = File.ReadAllBytes(path);
                if (!ElfVersionRequirement.IsLittleEndianElf64(elf))
                {
                    Log.LogWarning("Not a little-endian ELF64 file, left unchanged: " + path);
                    continue;
                }
                if (ElfVersionRequirement.Weaken(elf, VersionName) == 0) continue;
                // A new file rather than an edit in place, so a hard link into the NuGet cache is never modified.
                string temporary = path + ".weakening";
                File.WriteAllBytes(temporary, elf);
                File.Delete(path);
                File.Move(temporary, path);
                Log.LogMessage(MessageImportance.High, "Marked " + VersionName + " weak in " + path);
            }
            return true;
        }
    }
#endif
}
