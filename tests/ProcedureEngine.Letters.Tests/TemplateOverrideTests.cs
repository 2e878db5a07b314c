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
