using BenchmarkDotNet.Attributes;
using ProcedureEngine.Calendar;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Model;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Benchmarks;

/// <summary>
/// Cost of one receipt (form 01) in each output: HTML (the Handlebars template, baseline), plain text
/// (HTML read back into the layout) and PDF (layout drawn with PDFsharp, font subset embedded).
/// </summary>
[MemoryDiagnoser]
public class LetterBenchmarks
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    private readonly LetterRenderer renderer = LetterRenderer.Default;
    private ReceiptLetter receipt = null!;

    [GlobalSetup]
    public void Setup()
    {
        receipt = new ReceiptLetter
        {
            RuleSetId = RuleSets.Nd118Id,
            Agency = new LetterAgency("Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh", "UBND tỉnh Bắc Ninh"),
            Place = "Bắc Ninh",
            IssuedAt = new DateTimeOffset(2026, 4, 24, 9, 0, 0, Vn),
            DossierCode = "000.00.07.H13-260424-0001",
            TrackingUrl = LetterData.TrackingUrlFor("https://dichvucong.bacninh.gov.vn", "000.00.07.H13-260424-0001"),
            Applicant = new LetterApplicant("Nguyễn Văn A", "0912 345 678", "Số 12 đường Lý Thái Tổ, phường Suối Hoa"),
            ProcedureName = "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
            Documents =
            [
                new("Đơn đề nghị cấp giấy phép xây dựng (Mẫu số 01 Phụ lục II Nghị định 15/2021/NĐ-CP)", 1, true),
                new("Bản vẽ thiết kế xây dựng", 2),
                new("Văn bản thẩm duyệt thiết kế về PCCC", 1),
            ],
            TimeLimit = Duration.WorkingDays(15),
            ReceivedAt = new DateTimeOffset(2026, 4, 24, 9, 0, 0, Vn),
            AppointmentAt = new DateTimeOffset(2026, 5, 19, 9, 0, 0, Vn),
            ReceivingOfficer = new LetterSignatory("Người tiếp nhận hồ sơ", "Trần Thị B"),
        };

        // Compile the template and load the fonts outside the measurements.
        renderer.RenderPdf(receipt);
    }

    [Benchmark(Baseline = true)]
    public string Html() => renderer.RenderHtml(receipt);

    [Benchmark]
    public string Text() => renderer.RenderText(receipt);

    [Benchmark]
    public byte[] Pdf() => renderer.RenderPdf(receipt);
}
