using System.CommandLine;
using System.Text.Json.Nodes;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine verify [--seal FILE] [--write-seal FILE] [--read-models] [--json]`: the auditor's check of the whole store.
/// Every event's hash and chain link, every stream head, and (with --seal) every head recorded in an earlier seal.
/// --write-seal records the heads as they are now, for the next audit; keep the file (or its digest) outside the
/// database. Reads only. Exit 0 intact, 1 something was altered (each finding printed), 2 bad usage or seal file.
/// </summary>
internal static class VerifyVerb
{
    public static Command Create()
    {
        var options = new StoreOptions();
        var seal = new Option<FileInfo?>("--seal") { Description = "An earlier seal file: every head it records must still be there with the same hash" };
        var writeSeal = new Option<FileInfo?>("--write-seal") { Description = "Write a seal of the store as it is now to this file (keep it outside the database)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document: counts, findings and the current digest" };
        var readModels = new Option<bool>("--read-models") { Description = "Also recompute every dossier's summary row (lists, reports, the public tracking page) and open deadlines (the timers) from its events and compare" };
        var command = new Command("verify", "Audit the whole event store: hash chains, stream heads and, with --seal, the history sealed earlier");
        command.Options.Add(seal);
        command.Options.Add(writeSeal);
        command.Options.Add(json);
        command.Options.Add(readModels);
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            StoreSeal? against = null;
            if (parse.GetValue(seal) is { } sealFile)
            {
                try
                {
                    against = StoreSeal.Parse(await File.ReadAllTextAsync(sealFile.FullName, cancellationToken).ConfigureAwait(false), sealFile.FullName);
                }
                catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"verify: {e.Message}");
                    return 2;
                }
            }

            try
            {
                await using var store = options.Open(parse);
                var report = await StoreAudit.RunAsync(store, against, DateTimeOffset.Now, cancellationToken: cancellationToken).ConfigureAwait(false);
                (long Dossiers, IReadOnlyList<ReadModelFinding> Findings)? models = parse.GetValue(readModels)
                    ? await ReadModelCheck.RunAsync(store, cancellationToken: cancellationToken).ConfigureAwait(false)
                    : null;
                Print(report, models, StoreOptions.Describe(store), parse.GetValue(json), Console.Out);
                if (parse.GetValue(writeSeal) is { } target)
                {
                    // Written even when findings exist: the seal records what is there, the findings say what is wrong with it.
                    Directory.CreateDirectory(target.DirectoryName ?? ".");
                    await File.WriteAllTextAsync(target.FullName, report.Current.ToJson(), cancellationToken).ConfigureAwait(false);
                    Console.Error.WriteLine($"verify: sealed {report.Current.Streams} stream(s), digest {report.Current.Digest}, in {target.FullName}");
                }

                return report.IsIntact && models is not { Findings.Count: > 0 } ? 0 : 1;
            }
            catch (Exception e) when (e is EventStoreException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or ArgumentException or IOException)
            {
                Console.Error.WriteLine($"verify: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    private static void Print(AuditReport report, (long Dossiers, IReadOnlyList<ReadModelFinding> Findings)? models, string where, bool json, TextWriter output)
    {
        if (json)
        {
            var document = new JsonObject
            {
                ["intact"] = report.IsIntact,
                ["streams"] = report.Streams,
                ["events"] = report.Events,
                ["digest"] = report.Current.Digest,
                ["comparedWithSealOf"] = report.ComparedWith?.SealedAt.ToString("O", CultureInfo.InvariantCulture),
                ["findings"] = new JsonArray([.. report.Findings.Select(f => (JsonNode)new JsonObject
                {
                    ["stream"] = f.Stream,
                    ["version"] = f.Version,
                    ["kind"] = JsonNamingPolicy.CamelCase.ConvertName(f.Kind.ToString()),
                    ["message"] = f.Message,
                })]),
            };
            if (models is { } m)
            {
                document["readModels"] = new JsonObject
                {
                    ["dossiers"] = m.Dossiers,
                    ["findings"] = new JsonArray([.. m.Findings.Select(f => (JsonNode)new JsonObject
                    {
                        ["dossier"] = f.DossierId,
                        ["table"] = f.Table,
                        ["column"] = f.Column,
                        ["stored"] = f.Stored,
                        ["fromEvents"] = f.FromEvents,
                    })]),
                };
            }

            output.WriteLine(document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return;
        }

        foreach (var f in report.Findings)
        {
            output.WriteLine($"{f.Stream} v{f.Version}: {f.Kind.ToString().ToLowerInvariant()}: {f.Message}");
        }

        var against = report.ComparedWith is { } s
            ? $"; checked against the seal of {s.SealedAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)} ({s.Streams} stream(s))"
            : "";
        output.WriteLine(report.IsIntact
            ? $"intact: {report.Streams} stream(s), {report.Events} event(s){against} ({where})"
            : $"ALTERED: {report.Findings.Count} finding(s) in {report.Findings.Select(f => f.Stream).Distinct(StringComparer.Ordinal).Count()} of {report.Streams} stream(s), {report.Events} event(s) read{against} ({where})");
        output.WriteLine($"digest of the current heads: {report.Current.Digest}");
        if (models is { } check)
        {
            foreach (var f in check.Findings)
            {
                output.WriteLine(f.Column == "(row)"
                    ? $"{f.Table} {f.DossierId}: {(f.Stored is null ? "no row, though the dossier has events" : "rows, though no such dossier has events")}"
                    : $"{f.Table} {f.DossierId} {f.Column}: stored '{f.Stored ?? "(none)"}', the events give '{f.FromEvents ?? "(none)"}'");
            }

            output.WriteLine(check.Findings.Count == 0
                ? $"read models: the summary and open deadlines of {check.Dossiers} dossier(s) match their events"
                : $"read models: {check.Findings.Count} difference(s) from the events; `procedure-engine projections rebuild` rewrites them from the events");
        }
    }
}
