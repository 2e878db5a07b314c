using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Catalogue.Tests;

/// <summary>Each definition against the national database record it was written from.</summary>
public sealed partial class DefinitionsMatchRecordsTests
{
    public static TheoryData<string> Definitions()
    {
        var data = new TheoryData<string>();
        foreach (var f in CatalogueFiles.DefinitionFiles)
        {
            data.Add(CatalogueFiles.Relative(f));
        }

        return data;
    }

    private static YamlMappingNode Load(string relative) => CatalogueFiles.ReadYaml(Path.Combine(CatalogueFiles.RepoRoot, relative));

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Code_and_name_are_those_of_the_source_record(string file)
    {
        var def = Load(file);
        var code = def.Scalar("code")!;
        Path.GetFileNameWithoutExtension(file).ShouldBe(code, "the file is named after the procedure code");
        var record = CatalogueFiles.Record(code);
        record.Code.ShouldBe(code);
        CatalogueFiles.Normalize(def.Scalar("name")!).ShouldBe(CatalogueFiles.Normalize(record.Name));
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Time_limit_and_its_unit_are_those_of_the_source_record(string file)
    {
        var def = Load(file);
        var record = CatalogueFiles.Record(def.Scalar("code")!);
        record.Limits.ShouldNotBeEmpty();
        record.Limits.Select(l => l.Unit).Distinct().Count().ShouldBe(1, "one unit per record");
        def.Scalar("timeLimit").ShouldBe(record.LongestLimitAsDuration);
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Level_and_field_are_those_of_the_source_record(string file)
    {
        var def = Load(file);
        var record = CatalogueFiles.Record(def.Scalar("code")!);
        record.Levels.ShouldContain(def.Scalar("level")!);
        var fields = CatalogueFiles.ReadYaml(Path.Combine(CatalogueFiles.DefinitionsDir, "fields.yaml"))
            .Items("fields").ToDictionary(f => f.Scalar("id")!, f => f.Scalar("name")!);
        fields[def.Scalar("field")!].ShouldBe(record.Field);
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Legal_basis_cites_every_document_of_the_source_record(string file)
    {
        var def = Load(file);
        var record = CatalogueFiles.Record(def.Scalar("code")!);
        var cited = string.Join("\n", ((YamlSequenceNode)def.Child("legalBasis")!).Children.Cast<YamlScalarNode>().Select(s => s.Value));
        foreach (var code in record.LegalCodes)
        {
            // The record's architecture-law number 40/2029/QH14 is a typo for 40/2019/QH14 (corrected with a comment).
            var expected = code == "40/2029/QH14" ? "40/2019/QH14" : code;
            cited.ShouldContain(expected, Case.Sensitive, $"{file} must cite {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Fee_is_the_one_the_record_publishes(string file)
    {
        var def = Load(file);
        var record = CatalogueFiles.Record(def.Scalar("code")!);
        var fee = def.Child("fee") as YamlMappingNode;
        var published = System.Text.RegularExpressions.Regex.Match(record.Channels, @"(?:Ngày làm việc|Ngày)\s*([\d.,]+)\s*(?:VNĐ|Việt Nam Đồng)");
        if (published.Success)
        {
            fee.ShouldNotBeNull($"{file}: the record publishes a fee");
            decimal.Parse(fee.Scalar("amount")!, CultureInfo.InvariantCulture)
                .ShouldBe(decimal.Parse(published.Groups[1].Value.Replace(",", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture));
        }
        else if (record.Channels.Contains("Miễn phí", StringComparison.Ordinal))
        {
            fee.ShouldNotBeNull();
            fee.Scalar("amount").ShouldBe("0");
        }
        else
        {
            fee.ShouldBeNull($"{file}: the record publishes no fee");
        }
    }

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Agencies_are_those_of_the_province_structure(string file)
    {
        var province = CatalogueFiles.ReadYaml(Path.Combine(CatalogueFiles.DefinitionsDir, "agencies.yaml"))
            .Items("agencies").ToDictionary(a => a.Scalar("id")!);
        foreach (var agency in Load(file).Items("agencies"))
        {
            var id = agency.Scalar("id")!;
            province.ShouldContainKey(id, $"{file}: agency '{id}' is not in definitions/agencies.yaml");
            agency.Scalar("name").ShouldBe(province[id].Scalar("name"));
            agency.Scalar("code").ShouldBe(province[id].Scalar("code"));
        }
    }

    /// <summary>
    /// Every limit a record states ("15 ngày đối với nhà ở riêng lẻ" in its sequence, a different limit on one
    /// channel row) is reviewed in the definition: a limit shorter than timeLimit that the record gives for a case is
    /// a timeLimitCases entry (or the household would be promised the longer one), and a record whose limits differ
    /// by channel or case carries a "# Limit review:" comment explaining the difference.
    /// </summary>
    [Theory]
    [MemberData(nameof(Definitions))]
    public void Limits_that_depend_on_the_case_or_the_channel_are_reviewed_and_each_shorter_legal_limit_is_a_case(string file)
    {
        var text = File.ReadAllText(Path.Combine(CatalogueFiles.RepoRoot, file));
        var def = Load(file);
        var record = CatalogueFiles.Record(def.Scalar("code")!);
        var channelLimits = record.Limits.Select(l => $"{l.Amount.ToString(CultureInfo.InvariantCulture)} {l.Unit}").Distinct().ToList();
        var caseLimits = CaseLimits().Matches(record.Sequence).Select(m => m.Groups[1].Value).Distinct().ToList();
        if (channelLimits.Count <= 1 && caseLimits.Count <= 1)
        {
            return;
        }

        text.ShouldContain("# Limit review:", customMessage: $"{file}: the record states several limits ({string.Join("; ", channelLimits.Concat(caseLimits).Distinct())}); say in the file how each is handled");
        var cases = def.Items("timeLimitCases").Select(c => c.Scalar("timeLimit")!).ToHashSet();
        var longest = def.Scalar("timeLimit")!;
        var review = string.Join("\n", text.Split('\n').Where(l => l.TrimStart().StartsWith('#')));
        foreach (var written in caseLimits)
        {
            var amount = int.Parse(written, CultureInfo.InvariantCulture);
            var days = $"{amount} days";
            var workingDays = $"{amount} working days";
            if (days == longest || workingDays == longest || cases.Contains(days) || cases.Contains(workingDays))
            {
                continue;
            }

            // A number the record gives for something else (a document check before receipt) is explained in the file.
            review.ShouldContain($"{written} ngày", customMessage: $"{file}: the record's sequence gives {written} ngày for a case, but no timeLimitCases entry promises it (timeLimit {longest}) and the comments do not say why");
        }
    }

    /// <summary>"... 15 ngày đối với nhà ở riêng lẻ", "35 ngày (đối với dự án nhóm A)", "16 ngày làm việc đối với công trình cấp I".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"(\d+) ngày(?: làm việc)?\)?,? \(?đối với")]
    private static partial System.Text.RegularExpressions.Regex CaseLimits();
}
