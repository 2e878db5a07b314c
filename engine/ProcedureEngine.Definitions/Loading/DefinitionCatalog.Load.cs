using System.Buffers;
using System.Text;
using System.Text.Unicode;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions;

/// <summary>The file-reading adapter of the catalogue: everything else in it is pure.</summary>
public sealed partial class DefinitionCatalog
{
    /// <summary>Files larger than this are refused before they are read (no procedure is anywhere near it).</summary>
    public const long MaxFileBytes = YamlTreeReader.MaxChars;

    /// <summary>Reads every .yaml/.yml file under <paramref name="rootDirectory"/> (a definitions/ folder) and builds the catalogue.</summary>
    public static DefinitionCatalog Load(string rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(rootDirectory);
        if (!Directory.Exists(rootDirectory))
        {
            throw new DirectoryNotFoundException($"definitions folder '{rootDirectory}' does not exist");
        }

        var files = Directory.EnumerateFiles(rootDirectory, "*", SearchOption.AllDirectories)
            .Where(IsYaml)
            .Select(f => Path.GetRelativePath(rootDirectory, f))
            .Order(StringComparer.Ordinal)
            .Select(rel => ReadSource(Path.Combine(rootDirectory, rel), rel.Replace(Path.DirectorySeparatorChar, '/')));
        return Build(files);
    }

    /// <summary>
    /// Reads the given files (as named on a command line). Each file's catalogue root is the nearest
    /// folder above it that holds fields.yaml or schema/; that root's fields.yaml and agencies.yaml
    /// are read too, so cross-file rules apply as they would for the whole catalogue.
    /// </summary>
    public static DefinitionCatalog LoadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var sources = new List<SourceFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            var root = FindRoot(Path.GetDirectoryName(full)!);
            if (seen.Add(full))
            {
                sources.Add(ReadSource(path, Path.GetRelativePath(root, full).Replace(Path.DirectorySeparatorChar, '/')));
            }

            foreach (var side in SideFilesFor(root, Path.GetDirectoryName(full)!))
            {
                if (seen.Add(side))
                {
                    sources.Add(ReadSource(Path.GetRelativePath(Environment.CurrentDirectory, side), Path.GetRelativePath(root, side).Replace(Path.DirectorySeparatorChar, '/')));
                }
            }
        }

        return Build(sources);
    }

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static string FindRoot(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "fields.yaml")) || Directory.Exists(Path.Combine(dir.FullName, "schema")))
            {
                return dir.FullName;
            }
        }

        return directory;
    }

    private static IEnumerable<string> SideFilesFor(string root, string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            foreach (var name in new[] { "fields.yaml", "agencies.yaml" })
            {
                var p = Path.Combine(dir.FullName, name);
                if (File.Exists(p))
                {
                    yield return p;
                }
            }

            if (string.Equals(dir.FullName.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            {
                yield break;
            }
        }
    }

    /// <summary>Reads one file as strict UTF-8, refusing oversized or binary files with a diagnostic instead of an exception.</summary>
    public static SourceFile ReadSource(string path, string relativePath)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxFileBytes)
            {
                return Refused(path, relativePath, new SourceLocation(1, 1), DiagnosticCodes.TooLarge,
                    $"file is {length / 1024} KiB; definitions are limited to {MaxFileBytes / 1024} KiB, so it was not read");
            }

            var bytes = File.ReadAllBytes(path);
            return Decode(path, relativePath, bytes);
        }
        catch (IOException ex)
        {
            return Refused(path, relativePath, new SourceLocation(1, 1), DiagnosticCodes.NotText, $"file could not be read: {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return Refused(path, relativePath, new SourceLocation(1, 1), DiagnosticCodes.NotText, $"file could not be read: {ex.Message}");
        }
    }

    /// <summary>Decodes bytes as strict UTF-8 (a BOM is allowed); invalid bytes give a diagnostic at their position.</summary>
    public static SourceFile Decode(string path, string relativePath, ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        var chars = ArrayPool<char>.Shared.Rent(bytes.Length + 1);
        try
        {
            var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                var line = 1 + bytes[..read].Count((byte)'\n');
                var lineStart = bytes[..read].LastIndexOf((byte)'\n') + 1;
                var column = 1 + Encoding.UTF8.GetCharCount(bytes[lineStart..read]);
                return Refused(path, relativePath, new SourceLocation(line, column), DiagnosticCodes.NotText,
                    $"byte 0x{bytes[read]:X2} at offset {read} is not valid UTF-8: the file is binary or in another encoding; save it as UTF-8");
            }

            return new SourceFile(path, relativePath, new string(chars, 0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static SourceFile Refused(string path, string relativePath, SourceLocation at, string code, string message) =>
        new(path, relativePath, null, [new Diagnostic(path, at, Severity.Error, code, message)]);
}
