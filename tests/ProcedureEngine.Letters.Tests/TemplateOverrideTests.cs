using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Tests;

public sealed class TemplateOverrideTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("letters-templates-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_province_template_replaces_the_built_in_one_in_html_text_and_pdf()
    {
        File.WriteAllText(
            Path.Combine(directory, "receipt.hbs"),
            "{{> head}}{{> heading}}<p>Hẹn trả tại Bộ phận Một cửa huyện Tiên Du: {{AppointmentAt}}</p>{{> foot}}");
        var renderer = new LetterRenderer(directory);
        var letter = SampleLetters.Receipt();

        renderer.RenderText(letter).ShouldContain("Hẹn trả tại Bộ phận Một cửa huyện Tiên Du: 09 giờ 00 phút, ngày 19 tháng 5 năm 2026", Case.Sensitive);
        PdfText.Extract(renderer.RenderPdf(letter)).ShouldContain("Hẹn trả tại Bộ phận Một cửa huyện Tiên Du");
        // Forms without an override keep the built-in template.
        renderer.RenderText(SampleLetters.Refusal()).ShouldContain("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", Case.Sensitive);
    }

    [Fact]
    public void A_template_producing_broken_markup_is_reported_with_its_location()
    {
        File.WriteAllText(Path.Combine(directory, "refusal.hbs"), "{{> head}}<p>Lý do: <b>{{Reason}}</p>{{> foot}}");
        var renderer = new LetterRenderer(directory);

        var error = Should.Throw<LetterTemplateException>(() => renderer.RenderText(SampleLetters.Refusal()));
        error.Message.ShouldContain("not well-formed at line");
    }

    [Fact]
    public void A_missing_template_folder_is_refused_at_once()
    {
        var error = Should.Throw<DirectoryNotFoundException>(() => new LetterRenderer(Path.Combine(directory, "nope")));
        error.Message.ShouldContain("does not exist");
    }
}

public sealed class RuleSetTemplateTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("letters-rule-set-templates-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>nd118-2025 under another id, bringing its own receipt wording.</summary>
    private static Dossiers.Rules.RuleSet WithOwnReceipt() => Dossiers.Rules.RuleSets.Nd118 with
    {
        Id = "nd-mau-rieng",
        InForceFrom = new DateOnly(2040, 1, 1),
        LetterTemplates = System.Collections.Immutable.ImmutableDictionary<string, string>.Empty
            .Add("receipt", "{{> head}}{{> heading}}<p>Biên nhận theo mẫu riêng của chế độ: {{AppointmentAt}}</p>{{> foot}}"),
    };

    [Fact]
    public void A_rule_set_brings_its_own_template_which_a_province_file_for_that_rule_set_still_overrides()
    {
        using var registration = Dossiers.Rules.RuleSets.Register(WithOwnReceipt());
        var letter = SampleLetters.Receipt("nd-mau-rieng");

        LetterRenderer.Default.RenderText(letter).ShouldContain("Biên nhận theo mẫu riêng của chế độ: 09 giờ 00 phút, ngày 19 tháng 5 năm 2026", Case.Sensitive);
        // Forms it brings no template for use the built-in ones, with its numbers and circular.
        LetterRenderer.Default.RenderText(SampleLetters.Refusal("nd-mau-rieng")).ShouldContain("Mẫu số 03 – Thông tư số 03/2025/TT-VPCP", Case.Sensitive);

        // A province's generic receipt.hbs does not replace the rule set's own wording; its receipt.nd-mau-rieng.hbs does.
        File.WriteAllText(Path.Combine(directory, "receipt.hbs"), "{{> head}}{{> heading}}<p>Mẫu chung của tỉnh</p>{{> foot}}");
        new LetterRenderer(directory).RenderText(letter).ShouldContain("Biên nhận theo mẫu riêng của chế độ", Case.Sensitive);
        File.WriteAllText(Path.Combine(directory, "receipt.nd-mau-rieng.hbs"), "{{> head}}{{> heading}}<p>Mẫu của tỉnh cho chế độ này</p>{{> foot}}");
        new LetterRenderer(directory).RenderText(letter).ShouldContain("Mẫu của tỉnh cho chế độ này", Case.Sensitive);

        // The built-in rule sets keep the built-in receipt.
        LetterRenderer.Default.RenderText(SampleLetters.Receipt()).ShouldContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Case.Sensitive);
        LetterRenderer.Default.RenderText(SampleLetters.Receipt()).ShouldNotContain("mẫu riêng", Case.Sensitive);
    }
}
