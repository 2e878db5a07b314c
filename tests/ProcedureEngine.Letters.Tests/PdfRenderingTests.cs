using System.Collections.Immutable;
using System.Text;
using ProcedureEngine.Letters.Model;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Tests;

public sealed class PdfRenderingTests
{
    private static readonly LetterRenderer Renderer = LetterRenderer.Default;

    [Fact]
    public void Receipt_pdf_is_one_A5_page_that_PDFsharp_reads_back()
    {
        var pdf = Renderer.RenderPdf(SampleLetters.Receipt());

        Encoding.ASCII.GetString(pdf, 0, 5).ShouldBe("%PDF-");
        using var document = PdfText.Open(pdf);
        document.PageCount.ShouldBe(1);
        document.Pages[0].Width.Millimeter.ShouldBe(148, 0.5);
        document.Pages[0].Height.Millimeter.ShouldBe(210, 0.5);
        document.Info.Title.ShouldBe("Giấy tiếp nhận hồ sơ và hẹn trả kết quả – 000.00.07.H13-260424-0001");
    }

    [Fact]
    public void Receipt_pdf_text_layer_reads_in_Vietnamese_with_every_diacritic()
    {
        var text = PdfText.Extract(Renderer.RenderPdf(SampleLetters.Receipt()));

        text.ShouldContain("Mã hồ sơ: 000.00.07.H13-260424-0001", Case.Sensitive);
        text.ShouldContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Case.Sensitive);
        text.ShouldContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", Case.Sensitive);
        text.ShouldContain("Nguyễn Văn A", Case.Sensitive);
        text.ShouldContain("Bắc Ninh, ngày 24 tháng 4 năm 2026", Case.Sensitive);
        text.ShouldNotContain("\uFFFD", Case.Sensitive);
    }

    [Fact]
    public void Pdf_embeds_the_shipped_font_subset_not_a_machine_font()
    {
        var pdf = Renderer.RenderPdf(SampleLetters.Apology());
        using var document = PdfText.Open(pdf);
        var fonts = document.Pages[0].Resources.Elements.GetDictionary("/Font")!;

        fonts.Elements.Keys.ShouldNotBeEmpty();
        foreach (var key in fonts.Elements.Keys)
        {
            var baseFont = fonts.Elements.GetDictionary(key)!.Elements.GetName("/BaseFont");
            baseFont.ShouldContain("DejaVu Serif", Case.Sensitive);
        }

        // A subset: the whole family (over 500 kB a face) is never embedded.
        pdf.Length.ShouldBeLessThan(150_000);
    }

    [Fact]
    public void Tracking_book_is_printed_on_A4_landscape_and_long_books_repeat_the_header_on_every_page()
    {
        var first = SampleLetters.Book().Rows[0];
        var rows = Enumerable.Range(1, 60)
            .Select(i => first with { DossierCode = $"000.00.07.H13-260424-{i:0000}" })
            .ToImmutableArray();
        var pdf = Renderer.RenderPdf(SampleLetters.Book() with { Rows = rows });

        using var document = PdfText.Open(pdf);
        document.Pages[0].Width.Millimeter.ShouldBe(297, 0.5);
        document.Pages[0].Height.Millimeter.ShouldBe(210, 0.5);
        document.PageCount.ShouldBeGreaterThan(1);

        // A code too long for its column breaks after a hyphen.
        var text = PdfText.Extract(pdf).Replace("- ", "-", StringComparison.Ordinal);
        foreach (var row in rows)
        {
            text.ShouldContain(row.DossierCode);
        }

        var pages = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        pages.Length.ShouldBe(document.PageCount);
        pages.ShouldAllBe(p => p.Contains("Tên thủ tục hành chính"));
    }

    [Fact]
    public void Rendering_is_safe_from_many_threads_at_once()
    {
        var letters = Enumerable.Range(0, 16).Select(i => SampleLetters.Receipt() with { DossierCode = $"X-{i}" }).ToList();

        var texts = letters.AsParallel().Select(l => PdfText.Extract(Renderer.RenderPdf(l))).ToList();

        for (var i = 0; i < letters.Count; i++)
        {
            texts[i].ShouldContain($"Mã hồ sơ: X-{i}", Case.Sensitive);
        }
    }
}
