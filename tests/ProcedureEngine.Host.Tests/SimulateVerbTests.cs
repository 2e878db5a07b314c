using System.Text.Json.Nodes;
using ProcedureEngine.Host.Simulation;

namespace ProcedureEngine.Host.Tests;

public sealed class SimulateVerbTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("pe-simulate-").FullName;

    private static string Root => Repository.Root;

    private static string Sample(string name) => Path.Combine(Root, "samples", "scenarios", name);

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    [Fact]
    public void Json_output_follows_the_contract_with_offsets_and_letters()
    {
        var (code, stdout, _) = Execute(Sample("04-late-with-apology.yaml"), json: true);

        code.ShouldBe(0);
        var doc = JsonNode.Parse(stdout)!.AsObject();
        var dossier = doc["dossier"]!.AsObject();
        dossier["code"]!.GetValue<string>().ShouldBe("000.00.07.H13-260302-0001");
        dossier["procedure"]!["code"]!.GetValue<string>().ShouldBe("1.009792");
        dossier["procedure"]!["version"]!.GetValue<int>().ShouldBe(3);
        dossier["status"]!.GetValue<string>().ShouldBe("returned");
        dossier["receivedAt"]!.GetValue<string>().ShouldBe("2026-03-02T09:00:00+07:00");
        dossier["appointmentAt"]!.GetValue<string>().ShouldBe("2026-04-03T16:00:00+07:00");
        dossier["overdue"]!.GetValue<bool>().ShouldBeFalse();
        var appraise = dossier["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "appraise")!;
        appraise["dueAt"]!.GetValue<string>().ShouldBe("2026-03-12T09:00:00+07:00");
        appraise["overdue"]!.GetValue<bool>().ShouldBeTrue();
        var events = doc["events"]!.AsArray();
        events.Select(e => e!["seq"]!.GetValue<long>()).ShouldBe(Enumerable.Range(1, events.Count).Select(i => (long)i));
        var apology = events.Single(e => e!["type"]!.GetValue<string>() == "ApologyIssued")!;
        apology["data"]!["agencyAtFault"]!.GetValue<string>().ShouldBe("so-xay-dung");
        apology["data"]!["newAppointmentAt"]!.GetValue<string>().ShouldBe("2026-04-03T16:00:00+07:00");
        var letters = doc["letters"]!.AsArray();
        letters.Select(l => l!["form"]!.GetValue<string>()).ShouldBe(["01", "04"]);
        letters[1]!["newAppointmentAt"]!.GetValue<string>().ShouldBe("2026-04-03T16:00:00+07:00");
        letters[1]!["dossierCode"]!.GetValue<string>().ShouldBe("000.00.07.H13-260302-0001");
        letters[1]!["text"]!.GetValue<string>().ShouldContain("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT");
        doc["rejected"]!.AsArray().Select(r => r!["code"]!.GetValue<string>()).ShouldBe(["second-apology", "dossier-finished"]);
    }

    [Fact]
    public void Simulate_without_store_or_connection_writes_into_no_store_even_in_a_deployments_folder()
    {
        // A live deployment's folder: its store is ./data/procedure-engine.db. A back-dated simulated dossier must not land in it.
        var data = Directory.CreateDirectory(Path.Combine(_temp, "data"));
        var (exit, output, error) = Cli.Run(_temp, ["simulate", Sample("04-late-with-apology.yaml")]);
        exit.ShouldBe(0, error);
        output.ShouldNotContain("stored dossier");
        data.EnumerateFileSystemInfos().ShouldBeEmpty("nothing written under ./data");

        // Asked for explicitly, the same default store is written.
        var stored = Cli.Run(_temp, ["simulate", Sample("04-late-with-apology.yaml"), "--store", "sqlite"]);
        stored.Exit.ShouldBe(0, stored.Error);
        stored.Output.ShouldContain("stored dossier");
        File.Exists(Path.Combine(data.FullName, "procedure-engine.db")).ShouldBeTrue();
    }

    [Fact]
    public void Text_output_lists_events_rejections_letters_and_final_state()
    {
        var (code, stdout, _) = Execute(Sample("02-supplement-then-on-time.yaml"), json: false);

        code.ShouldBe(0);
        stdout.ShouldContain("SupplementRequested");
        stdout.ShouldContain("TỪ CHỐI [undeclared-document]");
        stdout.ShouldContain("Mẫu 02");
        stdout.ShouldContain("Trạng thái: returned");
    }

    [Fact]
    public void Invalid_scenario_exits_1_with_file_line_and_column()
    {
        var path = Path.Combine(_temp, "bad.yaml");
        File.WriteAllText(path, """
            definition: missing.yaml
            dossier:
              applicant: { name: A }
              colour: blue
            actions:
              - { at: 2026-13-02T09:00, do: receive }
              - { at: 2026-03-02T09:00, do: teleport }
            """);

        var (code, stdout, stderr) = Execute(path, json: true);

        code.ShouldBe(1);
        stdout.ShouldBeEmpty();
        stderr.ShouldContain($"{path}:4:3: error SC002: unknown key 'colour'");
        stderr.ShouldContain($"{path}:6:11: error SC004: '2026-13-02T09:00' is not a time");
        stderr.ShouldContain($"{path}:7:33: error SC004: unknown action 'teleport'");
    }

    [Fact]
    public void Scenario_naming_a_missing_definition_exits_1()
    {
        var path = Path.Combine(_temp, "nodef.yaml");
        File.WriteAllText(path, """
            definition: nowhere/def.yaml
            dossier: { applicant: { name: A } }
            actions:
              - { at: 2026-03-02T09:00, do: receive }
            """);

        var (code, _, stderr) = Execute(path, json: false);

        code.ShouldBe(1);
        stderr.ShouldContain("definition file 'nowhere/def.yaml' not found");
    }

    [Fact]
    public void Definition_by_code_resolves_in_the_nearest_definitions_folder()
    {
        var dir = Path.Combine(_temp, "case", "scenarios");
        Directory.CreateDirectory(dir);
        CopyDirectory(Path.Combine(Root, "samples", "definitions"), Path.Combine(_temp, "case", "definitions"));
        File.Copy(Path.Combine(Root, "samples", "calendars", "vn-pinned.yaml"), Path.Combine(_temp, "case", "definitions", "calendars", "vn.yaml"));
        var path = Path.Combine(dir, "by-code.yaml");
        File.WriteAllText(path, """
            definition: { code: "1.009792" }
            dossier:
              applicant: { name: Nguyễn Văn A }
              inputs: { works.fireRisk: false }
              documents: [don-de-nghi, giay-to-dat, ban-ve-thiet-ke]
            actions:
              - { at: 2026-03-02T09:00, do: receive }
            """);

        var (code, stdout, stderr) = Execute(path, json: true);

        code.ShouldBe(0, stderr);
        JsonNode.Parse(stdout)!["dossier"]!["appointmentAt"]!.GetValue<string>().ShouldBe("2026-03-23T09:00:00+07:00");
    }

    private static (int Code, string Stdout, string Stderr) Execute(string path, bool json)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = Simulator.Execute(path, json, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Directory.CreateDirectory(Path.Combine(to, "calendars"));
    }
}
