using ProcedureEngine.Calendar;
using ProcedureEngine.Definitions.Diagnostics;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Definitions.Parsing;

namespace ProcedureEngine.Definitions.Validation;

/// <summary>
/// Reads every file of a catalogue and applies the cross-file rules: duplicate (code, version),
/// overlapping versions, overlays against the procedure they shorten, fields.yaml, agencies.yaml,
/// calendars, the schema line and file names. Pure: works on files already read.
/// </summary>
internal sealed class CatalogBuilder
{
    private const string SchemaPrefix = "# yaml-language-server: $schema=";

    private readonly List<DefinitionEntry> definitions = [];
    private readonly List<OverlayEntry> overlays = [];
    private readonly List<DiagnosticBag> bags = [];
    private readonly Dictionary<string, HashSet<string>> fieldsByDirectory = new(StringComparer.Ordinal);
    private readonly List<FieldDecl> fields = [];
    private readonly List<ProvincialAgency> agencies = [];
    private readonly HashSet<string> calendarIds = new(StringComparer.Ordinal);
    private int fileCount;

    public void Add(SourceFile file)
    {
        var relative = file.RelativePath.Replace('\\', '/').TrimStart('/');
        var segments = relative.Split('/');
        var name = segments[^1];
        if (segments[0] == "schema")
        {
            return;
        }

        fileCount++;
        var bag = new DiagnosticBag(file.Path);
        bags.Add(bag);
        foreach (var d in file.Diagnostics ?? [])
        {
            bag.Add(d);
        }

        var isCalendar = segments.Length > 1 && segments[^2] == "calendars";
        if (isCalendar)
        {
            calendarIds.Add(System.IO.Path.GetFileNameWithoutExtension(name));
        }

        if (file.Text is null)
        {
            return;
        }

        if (isCalendar)
        {
            // Calendar files have their own parser (ProcedureEngine.Calendar) and codes (PE901...).
            foreach (var e in CalendarFileParser.Parse(file.Text, file.Path).Errors)
            {
                bag.Error(new SourceLocation(Math.Max(1, e.Line), Math.Max(1, e.Column)), e.Code, e.Message);
            }

            return;
        }

        switch (name)
        {
            case "fields.yaml" or "fields.yml":
                var f = SideFileParser.ParseFields(file.Text, file.Path);
                AddAll(bag, f.Diagnostics);
                if (f.Value is not null)
                {
                    fields.AddRange(f.Value);
                    fieldsByDirectory[DirectoryOf(relative)] = [.. f.Value.Select(x => x.Id)];
                }

                return;
            case "agencies.yaml" or "agencies.yml":
                var a = SideFileParser.ParseAgencies(file.Text, file.Path);
                AddAll(bag, a.Diagnostics);
                agencies.AddRange(a.Value ?? []);
                return;
            default:
                break;
        }

        var root = YamlTreeReader.Read(file.Text, bag);
        if (root is null)
        {
            return;
        }

        var inLocal = segments.Length > 1 && segments[0] == "local";
        if (DefinitionParser.IsOverlay(root))
        {
            CheckSchemaLine(file.Text, relative, "overlay.schema.json", bag);
            var overlay = DefinitionParser.ReadOverlay(root, bag);
            if (overlay is not null)
            {
                var map = new SourceMap(root);
                if (!inLocal || segments.Length != 3)
                {
                    bag.Warning(map.KeyOf("overlay"), DiagnosticCodes.OverlayJurisdictionFolder,
                        $"overlays belong in local/<jurisdiction>/ (here: local/{overlay.Jurisdiction}/)");
                }
                else if (segments[1] != overlay.Jurisdiction)
                {
                    bag.Warning(map.Of("jurisdiction"), DiagnosticCodes.OverlayJurisdictionFolder,
                        $"jurisdiction '{overlay.Jurisdiction}' differs from the folder local/{segments[1]}/ the overlay is in");
                }

                overlays.Add(new OverlayEntry(overlay, map, bag));
            }

            return;
        }

        if (inLocal)
        {
            bag.Error(root.Location, DiagnosticCodes.OverlayJurisdictionFolder,
                "files under local/ must be overlays (starting with 'overlay: \"<procedure code>\"'); procedure definitions live outside local/");
            return;
        }

        CheckSchemaLine(file.Text, relative, "procedure.schema.json", bag);
        var definition = DefinitionParser.ReadDefinition(root, bag);
        if (definition is not null)
        {
            definitions.Add(new DefinitionEntry(definition, DefinitionLocations.From(new SourceMap(root)), bag, relative));
        }
    }

    public T Finish<T>(Func<IReadOnlyList<ProcedureDefinition>, IReadOnlyList<LocalOverlay>, IReadOnlyList<Diagnostic>, int, IReadOnlyList<FieldDecl>, IReadOnlyList<ProvincialAgency>, T> create)
    {
        foreach (var e in definitions)
        {
            CheckField(e);
            CheckAgainstProvince(e);
            CheckCalendar(e);
            CheckFileName(e);
        }

        CheckVersions();
        CheckOverlays();

        var validDefinitions = definitions.Where(e => !e.Bag.HasErrors).Select(e => e.Definition)
            .OrderBy(d => d.Code, StringComparer.Ordinal).ThenBy(d => d.Version).ToList();
        var validOverlays = overlays.Where(e => !e.Bag.HasErrors).Select(e => e.Overlay).ToList();
        var diagnostics = bags.OrderBy(b => b.Path, StringComparer.Ordinal).SelectMany(b => b.Sorted()).ToList();
        return create(validDefinitions, validOverlays, diagnostics, fileCount, fields, agencies);
    }

    private static void AddAll(DiagnosticBag bag, IEnumerable<Diagnostic> items)
    {
        foreach (var d in items)
        {
            bag.Add(d);
        }
    }

    private static string DirectoryOf(string relative)
    {
        var i = relative.LastIndexOf('/');
        return i < 0 ? string.Empty : relative[..i];
    }

    private static void CheckSchemaLine(string text, string relative, string schemaFile, DiagnosticBag bag)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var first = (end < 0 ? text : text[..end]).TrimEnd('\r').TrimStart('\uFEFF');
        var depth = relative.Count(c => c == '/');
        var expected = string.Concat(Enumerable.Repeat("../", depth)) + "schema/" + schemaFile;
        if (!first.StartsWith(SchemaPrefix, StringComparison.Ordinal))
        {
            bag.Warning(new SourceLocation(1, 1), DiagnosticCodes.SchemaLine,
                $"first line should be '{SchemaPrefix}{expected}' so editors check the file as it is typed");
        }
        else if (first[SchemaPrefix.Length..].Trim() != expected)
        {
            bag.Warning(new SourceLocation(1, SchemaPrefix.Length + 1), DiagnosticCodes.SchemaLine,
                $"schema reference '{first[SchemaPrefix.Length..].Trim()}' does not lead to the catalogue's schema; use '{expected}'");
        }
    }

    private void CheckField(DefinitionEntry e)
    {
        for (var dir = DirectoryOf(e.RelativePath); ; dir = DirectoryOf(dir))
        {
            if (fieldsByDirectory.TryGetValue(dir, out var ids))
            {
                if (!ids.Contains(e.Definition.Field))
                {
                    var where = dir.Length == 0 ? "fields.yaml" : $"{dir}/fields.yaml";
                    e.Bag.Error(e.Map.Field, DiagnosticCodes.UnknownField,
                        $"field '{e.Definition.Field}' is not listed in {where}" + NodeReader.DidYouMean(e.Definition.Field, ids));
                }

                return;
            }

            if (dir.Length == 0)
            {
                e.Bag.Warning(e.Map.Field, DiagnosticCodes.NoFieldsFile,
                    $"no fields.yaml in this folder or above it: field '{e.Definition.Field}' can't be checked");
                return;
            }
        }
    }

    private void CheckAgainstProvince(DefinitionEntry e)
    {
        foreach (var a in e.Definition.Agencies)
        {
            var provincial = agencies.FirstOrDefault(p => p.Id == a.Id);
            if (provincial is not null && a.Code is not null && provincial.Code is not null && a.Code != provincial.Code)
            {
                e.Bag.Warning(a.Location, DiagnosticCodes.AgencyMismatch,
                    $"agency '{a.Id}' has code {a.Code} here but {provincial.Code} in agencies.yaml");
            }
        }
    }

    private void CheckCalendar(DefinitionEntry e)
    {
        if (calendarIds.Count > 0 && !calendarIds.Contains(e.Definition.Calendar))
        {
            e.Bag.Error(e.Map.Calendar ?? e.Definition.Location, DiagnosticCodes.UnknownCalendar,
                $"calendar '{e.Definition.Calendar}' has no file calendars/{e.Definition.Calendar}.yaml (known: {string.Join(", ", calendarIds.Order(StringComparer.Ordinal))})");
        }
    }

    private static void CheckFileName(DefinitionEntry e)
    {
        var name = e.RelativePath[(e.RelativePath.LastIndexOf('/') + 1)..];
        if (!name.StartsWith(e.Definition.Code, StringComparison.Ordinal))
        {
            e.Bag.Warning(e.Map.Code, DiagnosticCodes.CodeFileName,
                $"file name '{name}' should start with the procedure code ({e.Definition.Code}.yaml), so the file can be found by code");
        }
    }

    private void CheckVersions()
    {
        foreach (var group in definitions.GroupBy(e => e.Definition.Code, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(e => e.Definition.Version).ThenBy(e => e.Bag.Path, StringComparer.Ordinal).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var later = ordered[i];
                for (var j = 0; j < i; j++)
                {
                    var earlier = ordered[j];
                    if (earlier.Definition.Version == later.Definition.Version)
                    {
                        later.Bag.Error(later.Map.Version, DiagnosticCodes.DuplicateVersion,
                            $"version {later.Definition.Version} of {later.Definition.Code} is also defined in {earlier.Bag.Path}");
                        break;
                    }

                    if (earlier.Definition.Effective.Overlaps(later.Definition.Effective))
                    {
                        later.Bag.Error(later.Map.Effective, DiagnosticCodes.OverlappingVersions,
                            $"version {later.Definition.Version} of {later.Definition.Code} ({Period(later.Definition.Effective)}) overlaps version " +
                            $"{earlier.Definition.Version} ({Period(earlier.Definition.Effective)}, {earlier.Bag.Path}); end the earlier one with 'until'");
                    }
                }
            }
        }
    }

    private void CheckOverlays()
    {
        var byCode = definitions.ToLookup(e => e.Definition.Code, StringComparer.Ordinal);
        foreach (var o in overlays)
        {
            var overlay = o.Overlay;
            var versions = byCode[overlay.ProcedureCode].ToList();
            if (versions.Count == 0)
            {
                o.Bag.Error(o.Map.Of("overlay"), DiagnosticCodes.OverlayUnknownProcedure,
                    $"no procedure with code '{overlay.ProcedureCode}' in this catalogue");
                continue;
            }

            var affected = versions.Where(v => v.Definition.Effective.Overlaps(overlay.Effective)).ToList();
            if (affected.Count == 0)
            {
                o.Bag.Warning(o.Map.Of("effective"), DiagnosticCodes.OverlayOutsideVersions,
                    $"no version of {overlay.ProcedureCode} is in effect during {Period(overlay.Effective)}: the overlay never applies");
            }

            foreach (var v in affected)
            {
                CheckOverlayAgainst(o, v.Definition);
            }
        }

        foreach (var group in overlays.GroupBy(o => (o.Overlay.ProcedureCode, o.Overlay.Jurisdiction)))
        {
            var list = group.OrderBy(o => o.Overlay.Effective.From).ThenBy(o => o.Bag.Path, StringComparer.Ordinal).ToList();
            for (var i = 1; i < list.Count; i++)
            {
                for (var j = 0; j < i; j++)
                {
                    if (list[j].Overlay.Effective.Overlaps(list[i].Overlay.Effective))
                    {
                        list[i].Bag.Error(list[i].Map.Of("effective"), DiagnosticCodes.OverlappingOverlays,
                            $"overlay of {group.Key.ProcedureCode} for {group.Key.Jurisdiction} overlaps {list[j].Bag.Path} in time; end the earlier one with 'until'");
                        break;
                    }
                }
            }
        }
    }

    private static void CheckOverlayAgainst(OverlayEntry o, ProcedureDefinition d)
    {
        var overlay = o.Overlay;
        var label = $"{d.Code} version {d.Version}";
        if (overlay.TimeLimit is { } limit)
        {
            CheckShorter(o, limit, d.TimeLimit, o.Map.Of("timeLimit"), $"timeLimit of {label}");
        }

        foreach (var (stepId, duration) in overlay.StepDurations.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var step = d.FindStep(stepId);
            if (step is null)
            {
                o.Bag.Error(o.Map.KeyOf("steps", stepId), DiagnosticCodes.OverlayUnknownStep,
                    $"{label} has no step '{stepId}'" + NodeReader.DidYouMean(stepId, d.Steps.Select(s => s.Id)));
                continue;
            }

            CheckShorter(o, duration, step.Duration, o.Map.Of("steps", stepId, "duration"), $"duration of step '{stepId}' in {label}");
        }

        foreach (var (caseId, caseLimit) in overlay.CaseLimits.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var limitCase = d.TimeLimitCases.FirstOrDefault(c => c.Id == caseId);
            if (limitCase is null)
            {
                o.Bag.Error(o.Map.KeyOf("timeLimitCases", caseId), DiagnosticCodes.OverlayUnknownStep,
                    $"{label} has no time limit case '{caseId}'" + NodeReader.DidYouMean(caseId, d.TimeLimitCases.Select(c => c.Id)));
                continue;
            }

            CheckShorter(o, caseLimit, limitCase.TimeLimit, o.Map.Of("timeLimitCases", caseId, "timeLimit"), $"timeLimit of case '{caseId}' in {label}");
        }

        var overlaid = overlay.ApplyTo(d);
        var graph = new StepGraph(overlaid.Steps);
        if (graph.IsSoundDag && (overlay.TimeLimit is null || TimeBudget.NoLongerThan(overlay.TimeLimit.Value, d.TimeLimit) is not null))
        {
            foreach (var (code, message, warning) in DefinitionRules.LongestPathProblems(overlaid, graph, $"the overlay's timeLimit for {label}"))
            {
                if (!warning && overlay.TimeLimit is not null)
                {
                    o.Bag.Error(o.Map.Of("timeLimit"), code, message);
                }
            }
        }
    }

    private static void CheckShorter(OverlayEntry o, Duration shortened, Duration legal, SourceLocation at, string what)
    {
        switch (TimeBudget.NoLongerThan(shortened, legal))
        {
            case null:
                o.Bag.Error(at, DiagnosticCodes.OverlayUnitMismatch,
                    $"{shortened} can't be compared with the {what} ({legal}) without a calendar; write the reduction in the same unit");
                break;
            case false:
                o.Bag.Error(at, DiagnosticCodes.OverlayLengthens,
                    $"{shortened} is longer than the {what} ({legal}); a local overlay may only shorten limits");
                break;
            default:
                break;
        }
    }

    private static string Period(EffectivePeriod p) =>
        $"{p.From:yyyy-MM-dd} to {(p.Until is { } u ? u.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "open end")}";

    /// <summary>
    /// An accepted definition. Only the few locations cross-file rules point at are kept, not the
    /// file's YAML tree, so a large catalogue does not hold every tree in memory.
    /// </summary>
    private sealed record DefinitionEntry(ProcedureDefinition Definition, DefinitionLocations Map, DiagnosticBag Bag, string RelativePath);

    private sealed record DefinitionLocations(SourceLocation Code, SourceLocation Version, SourceLocation Field, SourceLocation Effective, SourceLocation? Calendar)
    {
        public static DefinitionLocations From(SourceMap map) =>
            new(map.Of("code"), map.Of("version"), map.Of("field"), map.Of("effective"), map.Has("calendar") ? map.Of("calendar") : null);
    }

    private sealed record OverlayEntry(LocalOverlay Overlay, SourceMap Map, DiagnosticBag Bag);
}
