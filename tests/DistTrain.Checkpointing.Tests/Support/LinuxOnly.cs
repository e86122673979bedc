using System.Runtime.Versioning;

// Durability is Linux's here (fsync of directories, tmpfs, Unix permissions): the tests run on Linux.
[assembly: SupportedOSPlatform("linux")]
