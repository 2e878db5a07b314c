using ProcedureEngine.Definitions.Diagnostics;

namespace ProcedureEngine.Host.Web.Definitions;

/// <summary>Why a draft could not be saved or published, with every problem found.</summary>
public sealed class DefinitionRejectedException(string message, string reason, IReadOnlyList<Diagnostic> problems, bool conflict = false) : Exception(message)
{
    public IReadOnlyList<Diagnostic> Problems { get; } = problems;

    /// <summary>The same, in Vietnamese, for the administrator in the designer.</summary>
    public string Reason { get; } = reason;

    /// <summary>True when the (code, version) already exists: HTTP 409 rather than 422.</summary>
    public bool Conflict { get; } = conflict;
}

/// <summary>
/// The published catalogue (the files under definitions/) and the administrators' drafts (data/drafts/).
/// Publishing re-validates the whole catalogue with the draft in it (versions must not overlap, overlays
/// must still fit) before a single file is written, then swaps the catalogue atomically.
/// </summary>
public sealed class DefinitionRegistry
{
    private readonly string root;
    private readonly string draftsRoot;
    private readonly Lock gate = new();
    private DefinitionCatalog catalog;
    private IReadOnlyDictionary<string, IWorkingCalendar> calendars;

    public DefinitionRegistry(string definitionsRoot, string dataRoot)
    {
        root = Path.GetFullPath(definitionsRoot);
        draftsRoot = Path.Combine(Path.GetFullPath(dataRoot), "drafts");
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"definitions folder not found: {root}");
        }

        catalog = DefinitionCatalog.Load(root);
        calendars = LoadCalendars(root);
    }

    public DefinitionCatalog Catalog => Volatile.Read(ref catalog);

    /// <summary>The calendar a definition names (definitions/calendars/&lt;id&gt;.yaml), or Vietnam's statutory rules.</summary>
    public IWorkingCalendar CalendarFor(ProcedureDefinition definition) =>
        Volatile.Read(ref calendars).TryGetValue(definition.Calendar, out var c) ? c : WorkingCalendar.Vietnam();

    /// <summary>The published calendar with this id (the built-in Vietnamese rules for "vn" when there is no file), or null.</summary>
    public WorkingCalendar? Calendar(string id) =>
        Volatile.Read(ref calendars).TryGetValue(id, out var c) ? c as WorkingCalendar : id == "vn" ? WorkingCalendar.Vietnam() : null;

    /// <summary>
    /// Publishes a calendar version: writes definitions/calendars/&lt;id&gt;.yaml (atomically) and swaps it in, so the
    /// timers and new receipts use it at once. The caller validated <paramref name="calendar"/> from <paramref name="yaml"/>.
    /// </summary>
    public void PublishCalendar(WorkingCalendar calendar, string yaml)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        lock (gate)
        {
            var path = Path.Combine(root, "calendars", calendar.Id + ".yaml");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteAtomically(path, yaml);
            var next = new Dictionary<string, IWorkingCalendar>(Volatile.Read(ref calendars), StringComparer.Ordinal) { [calendar.Id] = calendar };
            Volatile.Write(ref calendars, next);
        }
    }

    /// <summary>The published file of calendar <paramref name="id"/> as written (what a new version starts from), or null.</summary>
    public string? CalendarText(string id)
    {
        lock (gate)
        {
            var path = Path.Combine(root, "calendars", id + ".yaml");
            return Calendar(id) is not null && File.Exists(path) ? File.ReadAllText(path) : null;
        }
    }

    /// <summary>The ids of the published calendar files.</summary>
    public IReadOnlyList<string> CalendarIds() => [.. Volatile.Read(ref calendars).Keys.Order(StringComparer.Ordinal)];

    public static IReadOnlyDictionary<string, IWorkingCalendar> LoadCalendars(string definitionsRoot)
    {
        var folder = Path.Combine(definitionsRoot, "calendars");
        var result = new Dictionary<string, IWorkingCalendar>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.yaml"))
            {
                // A broken calendar file stops the server with its line and reason (CalendarFormatException).
                var calendar = WorkingCalendar.Load(File.ReadAllText(file), file);
                result[calendar.Id] = calendar;
            }
        }

        return result;
    }

    public IReadOnlyList<DraftInfo> Drafts()
    {
        if (!Directory.Exists(draftsRoot))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(draftsRoot, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Validator.Validate(File.ReadAllText(f), f).Definition)
            .OfType<ProcedureDefinition>()
            .Select(d => new DraftInfo(d.Code, d.Version, d.Name))
            .OrderBy(d => d.Code, StringComparer.Ordinal).ThenBy(d => d.Version)];
    }

    /// <summary>Validates and stores a draft. Nothing is stored when it has errors or its version is already published.</summary>
    public ValidationReport SaveDraft(string yaml)
    {
        var report = Validator.Validate(yaml, "draft.yaml");
        if (report.HasErrors)
        {
            throw new DefinitionRejectedException("the draft has errors", "Bản nháp còn lỗi nên chưa được lưu.", report.Diagnostics);
        }

        if (report.Definition is not { } definition)
        {
            throw new DefinitionRejectedException("a draft must be a procedure definition (overlays are edited as files)",
                "Bản nháp phải là định nghĩa một thủ tục (quy định riêng của địa phương được sửa trực tiếp trong tệp).", report.Diagnostics);
        }

        if (Catalog.Find(definition.Code, definition.Version) is not null)
        {
            throw new DefinitionRejectedException(
                $"version {definition.Version} of {definition.Code} is already published; a change needs a new version",
                $"Phiên bản {definition.Version} của thủ tục {definition.Code} đã được công bố; muốn thay đổi phải tạo phiên bản mới.", report.Diagnostics, conflict: true);
        }

        var path = DraftPath(definition.Code, definition.Version);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        WriteAtomically(path, yaml);
        return report;
    }

    public string? DraftText(string code, int version)
    {
        var path = DraftPath(code, version);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    /// <summary>
    /// Publishes a draft into definitions/ after checking it against the whole catalogue. When the version
    /// in effect before the draft's start date is open-ended, the new version ends it: that version gets
    /// `effective.until` the day before (dossiers received under it keep running on it). Any other overlap
    /// is refused. Nothing is written unless the catalogue with both files is free of errors.
    /// </summary>
    public PublishResult Publish(string code, int version)
    {
        lock (gate)
        {
            var text = DraftText(code, version) ?? throw new KeyNotFoundException($"no draft {code} version {version}");
            if (Catalog.Find(code, version) is not null)
            {
                throw new DefinitionRejectedException($"version {version} of {code} is already published", $"Phiên bản {version} của thủ tục {code} đã được công bố.", [], conflict: true);
            }

            var draft = Validator.Validate(text, "draft.yaml").Definition;
            var target = PublishedPath(code, version, draft?.Field ?? "other");
            var relative = Path.GetRelativePath(root, target);
            var sources = EnumerateSources().ToList();
            var superseded = draft is null ? null : Superseded(draft);
            SourceFile? closed = null;
            if (superseded?.SourcePath is { } previousPath)
            {
                var index = sources.FindIndex(f => string.Equals(Path.GetFullPath(f.Path), Path.GetFullPath(FullPath(previousPath)), StringComparison.Ordinal));
                if (index >= 0 && sources[index].Text is { } previousText)
                {
                    closed = sources[index] with { Text = EffectiveEnd.Close(previousText, draft!.Effective.From.AddDays(-1)) };
                    sources[index] = closed;
                }
            }

            var candidate = DefinitionCatalog.Build(sources.Append(new SourceFile(target, relative, text)));
            var problems = candidate.Diagnostics
                .Where(d => d.IsError && (d.Path.EndsWith(relative, StringComparison.Ordinal) || (closed is not null && d.Path.EndsWith(closed.RelativePath, StringComparison.Ordinal))))
                .ToList();
            if (problems.Count > 0 || candidate.Find(code, version) is null)
            {
                throw new DefinitionRejectedException($"{code} version {version} does not fit the published catalogue",
                    $"Thủ tục {code} phiên bản {version} không khớp với danh mục đã công bố (xem các lỗi bên dưới) nên chưa được công bố.", problems);
            }

            // The new version first: should the second write fail, the catalogue reports the overlap (PE051) loudly.
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            WriteAtomically(target, text);
            if (closed is not null)
            {
                WriteAtomically(closed.Path, closed.Text!);
            }

            File.Delete(DraftPath(code, version));
            Volatile.Write(ref catalog, DefinitionCatalog.Load(root));
            return new PublishResult(Catalog.Find(code, version)!, superseded is null ? null : Catalog.Find(code, superseded.Version));
        }
    }

    /// <summary>The open-ended published version a draft starting later would overlap: the one it replaces.</summary>
    private ProcedureDefinition? Superseded(ProcedureDefinition draft) =>
        Catalog.Versions(draft.Code)
            .Where(v => v.Effective.Until is null && v.Effective.From < draft.Effective.From)
            .OrderByDescending(v => v.Effective.From)
            .FirstOrDefault();

    private IEnumerable<SourceFile> EnumerateSources() =>
        Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories)
            .Select(f => DefinitionCatalog.ReadSource(f, Path.GetRelativePath(root, f)));

    /// <summary>Next to the published versions of the code, else in the folder named after its field.</summary>
    private string PublishedPath(string code, int version, string field)
    {
        var existing = Catalog.Versions(code).Select(d => d.SourcePath).FirstOrDefault(p => p is not null);
        var folder = existing is not null
            ? Path.GetDirectoryName(Path.GetFullPath(FullPath(existing)))!
            : Path.Combine(root, SafeName(field));
        return Path.Combine(folder, $"{SafeName(code)}.v{version}.yaml");
    }

    /// <summary>The YAML of a published version as its file holds it (comments included); null when it has no file.</summary>
    public string? PublishedText(ProcedureDefinition definition) =>
        definition.SourcePath is { } source ? File.ReadAllText(FullPath(source)) : null;

    private string FullPath(string source) => Path.IsPathRooted(source) ? source : Path.Combine(root, source);

    private string DraftPath(string code, int version) => Path.Combine(draftsRoot, SafeName(code), $"{version}.yaml");

    private static string SafeName(string s)
    {
        var clean = new string([.. s.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_')]);
        return clean.Trim('.') is { Length: > 0 } ok ? ok : "_";
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}

public sealed record DraftInfo(string Code, int Version, string Name);

/// <summary>What publishing did: the version now published and, when it replaced an open-ended one, that version with its new end date.</summary>
public sealed record PublishResult(ProcedureDefinition Published, ProcedureDefinition? Closed);
