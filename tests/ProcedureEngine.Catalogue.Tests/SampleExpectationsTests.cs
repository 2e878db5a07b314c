using System.Globalization;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>
/// The construction samples' expected dates (samples/construction/expected.yaml, computed by
/// tools/catalogue/sample_scenarios.py from the counting rules of the law) against the engine's
/// own calendar arithmetic: two independent computations must agree.
/// </summary>
public sealed class SampleExpectationsTests
{
    private static readonly string SamplesDir = Path.Combine(CatalogueFiles.RepoRoot, "samples");

    internal static WorkingCalendar PinnedCalendar() =>
        WorkingCalendar.Load(File.ReadAllText(Path.Combine(SamplesDir, "calendars", "vn-2026.yaml")), "samples/calendars/vn-2026.yaml");

    internal static IReadOnlyDictionary<string, (string Status, DateTimeOffset ReceivedAt, DateTimeOffset AppointmentAt, DateTimeOffset ReturnedAt)> Expected()
    {
        var root = CatalogueFiles.ReadYaml(Path.Combine(SamplesDir, "construction", "expected.yaml"));
        return ((YamlDotNet.RepresentationModel.YamlMappingNode)root.Child("samples")!).Children.ToDictionary(
            kv => ((YamlDotNet.RepresentationModel.YamlScalarNode)kv.Key).Value!,
            kv =>
            {
                var m = (YamlDotNet.RepresentationModel.YamlMappingNode)kv.Value;
                DateTimeOffset T(string k) => DateTimeOffset.Parse(m.Scalar(k)!, CultureInfo.InvariantCulture);
                return (m.Scalar("status")!, T("receivedAt"), T("appointmentAt"), T("returnedAt"));
            });
    }

    public static TheoryData<string> Codes()
    {
        var data = new TheoryData<string>();
        foreach (var code in Expected().Keys)
        {
            data.Add(code);
        }

        return data;
    }

    [Fact]
    public void Every_construction_procedure_has_a_sample_and_an_expectation()
    {
        var construction = CatalogueFiles.DefinitionFiles
            .Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == "construction")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .ToHashSet(StringComparer.Ordinal);
        Expected().Keys.ToHashSet().SetEquals(construction).ShouldBeTrue();
        foreach (var code in construction)
        {
            File.Exists(Path.Combine(SamplesDir, "construction", code + ".scenario.yaml")).ShouldBeTrue(code);
        }
    }

    [Theory]
    [MemberData(nameof(Codes))]
    public void Expected_appointment_is_the_engine_calendar_applied_to_the_legal_limit(string code)
    {
        var expected = Expected()[code];
        var definition = CatalogueFiles.ReadYaml(Path.Combine(CatalogueFiles.DefinitionsDir, "construction", code + ".yaml"));
        Duration.TryParse(definition.Scalar("timeLimit"), out var limit, out var error).ShouldBeTrue(error);

        // The sample's own limit: the time limit case its inputs fall under (e.g. 15 days for a detached house), read
        // here from the files as the tool reads them, independently of the engine's TimeLimitFor.
        var scenario = CatalogueFiles.ReadYaml(Path.Combine(SamplesDir, "construction", code + ".scenario.yaml"));
        var inputs = ((YamlDotNet.RepresentationModel.YamlMappingNode)scenario.Child("dossier")!).Child("inputs") is YamlDotNet.RepresentationModel.YamlMappingNode m
            ? m.Children.ToDictionary(kv => ((YamlDotNet.RepresentationModel.YamlScalarNode)kv.Key).Value!, kv => ((YamlDotNet.RepresentationModel.YamlScalarNode)kv.Value).Value!)
            : [];
        foreach (var c in definition.Items("timeLimitCases"))
        {
            var when = (YamlDotNet.RepresentationModel.YamlMappingNode)c.Child("when")!;
            if (Holds(when, inputs))
            {
                Duration.TryParse(c.Scalar("timeLimit"), out limit, out error).ShouldBeTrue(error);
                break;
            }
        }

        PinnedCalendar().Add(expected.ReceivedAt, limit).ShouldBe(expected.AppointmentAt);
        expected.ReturnedAt.ShouldBeLessThanOrEqualTo(expected.AppointmentAt, "every sample is returned on time");
    }

    [Fact]
    public void Pinned_sample_calendar_agrees_with_the_published_vn_calendar_for_2026()
    {
        var vn = WorkingCalendar.Load(
            File.ReadAllText(Path.Combine(CatalogueFiles.DefinitionsDir, "calendars", "vn.yaml")), "definitions/calendars/vn.yaml");
        var pinned = PinnedCalendar();
        for (var day = new DateOnly(2026, 1, 1); day.Year == 2026; day = day.AddDays(1))
        {
            pinned.IsWorkingDay(day).ShouldBe(vn.IsWorkingDay(day), day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>A `when` condition of the forms the catalogue's cases use (input/equals, input/in, not, all, any).</summary>
    private static bool Holds(YamlDotNet.RepresentationModel.YamlMappingNode when, IReadOnlyDictionary<string, string> inputs)
    {
        if (when.Child("not") is YamlDotNet.RepresentationModel.YamlMappingNode not)
        {
            return !Holds(not, inputs);
        }

        if (when.Child("all") is YamlDotNet.RepresentationModel.YamlSequenceNode all)
        {
            return all.Children.OfType<YamlDotNet.RepresentationModel.YamlMappingNode>().All(c => Holds(c, inputs));
        }

        if (when.Child("any") is YamlDotNet.RepresentationModel.YamlSequenceNode any)
        {
            return any.Children.OfType<YamlDotNet.RepresentationModel.YamlMappingNode>().Any(c => Holds(c, inputs));
        }

        var value = inputs.GetValueOrDefault(when.Scalar("input")!);
        if (when.Scalar("equals") is { } equals)
        {
            return string.Equals(value, equals, StringComparison.OrdinalIgnoreCase);
        }

        return when.Child("in") is YamlDotNet.RepresentationModel.YamlSequenceNode values
            && values.Children.OfType<YamlDotNet.RepresentationModel.YamlScalarNode>().Any(v => v.Value == value);
    }
}
