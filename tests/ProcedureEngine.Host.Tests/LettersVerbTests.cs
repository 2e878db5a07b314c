using System.Text;
using System.Text.Json.Nodes;
using ProcedureEngine.Host.Letters;
using ProcedureEngine.Host.Simulation;

namespace ProcedureEngine.Host.Tests;

/// <summary>The legal forms as the host prints them: simulate's letters[].text and the `letters` verb's files.</summary>
public sealed class LettersVerbTests : IDisposable
{
    private readonly string temp = Directory.CreateTempSubdirectory("pe-letters-").FullName;

    private static string Root { get; } = FindRoot();

    private static string Sample(string name) => Path.Combine(Root, "samples", "scenarios", name);

    public void Dispose() => Directory.Delete(temp, recursive: true);

    [Fact]
    public void Simulate_json_carries_the_plain_text_of_every_letter()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Simulator.Execute(Sample("04-late-with-apology.yaml"), json: true, output, error).ShouldBe(0, error.ToString());

        var letters = JsonNode.Parse(output.ToString())!["letters"]!.AsArray();
        var receipt = letters[0]!["text"]!.GetValue<string>();
        receipt.ShouldContain("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Case.Sensitive);
        receipt.ShouldContain("Mã hồ sơ: 000.00.07.H13-260302-0001", Case.Sensitive);
        receipt.ShouldContain("5. Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 00 phút, ngày 23 tháng 3 năm 2026.", Case.Sensitive);
        var apology = letters[1]!["text"]!.GetValue<string>();
        apology.ShouldContain("VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", Case.Sensitive);
        apology.ShouldContain("Sở Xây dựng không thể hoàn thành việc giải quyết hồ sơ", Case.Sensitive);
        apology.ShouldContain("gia hạn thời gian giải quyết hồ sơ đến: 16 giờ 00 phút, ngày 03 tháng 4 năm 2026.", Case.Sensitive);
    }

    [Fact]
    public void Every_letter_of_every_sample_has_its_text()
    {
        foreach (var sample in Directory.GetFiles(Path.Combine(Root, "samples", "scenarios"), "*.yaml"))
        {
            var (run, loaded, problems) = Simulator.Simulate(sample);
            run.ShouldNotBeNull(string.Join("\n", problems));
            var letterText = Simulator.LetterTexts(run, loaded!);
            foreach (var letter in run.State.Letters)
            {
                var text = letterText(letter);
                text.ShouldNotBeNull($"{Path.GetFileName(sample)}: form {letter.Form}");
                text.ShouldContain(letter.Title.ToUpperInvariant(), Case.Sensitive);
            }
        }
    }

    [Fact]
    public void Letters_verb_writes_each_form_as_html_text_and_pdf_with_a_tracking_qr_code()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = LetterFiles.Execute(
            Sample("06-withdrawn.yaml"),
            temp,
            "all",
            new LetterFileOptions("https://dichvucong.bacninh.gov.vn", "Bắc Ninh", "UBND tỉnh Bắc Ninh"),
            output,
            error);

        code.ShouldBe(0, error.ToString());
        var files = Directory.GetFiles(temp).Select(Path.GetFileName).Order().ToList();
        files.ShouldContain("01-mau-01-receipt.html");
        files.ShouldContain("01-mau-01-receipt.pdf");
        files.ShouldContain("01-mau-01-receipt.txt");
        files.ShouldContain(f => f!.EndsWith("-mau-05-withdrawal-notice.pdf", StringComparison.Ordinal));
        files.ShouldContain(f => f!.EndsWith("-mau-06-control-slip.pdf", StringComparison.Ordinal));
        files.ShouldContain(f => f!.EndsWith("-mau-07-tracking-book.pdf", StringComparison.Ordinal));
        output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(files.Count);

        Encoding.ASCII.GetString(File.ReadAllBytes(Path.Combine(temp, "01-mau-01-receipt.pdf")), 0, 5).ShouldBe("%PDF-");
        var html = File.ReadAllText(Path.Combine(temp, "01-mau-01-receipt.html"));
        html.ShouldContain("data-payload=\"https://dichvucong.bacninh.gov.vn/track/000.00.07.H13-260302-0001\"", Case.Sensitive);
        var text = File.ReadAllText(Path.Combine(temp, "01-mau-01-receipt.txt"));
        text.ShouldContain("Bắc Ninh, ngày 02 tháng 3 năm 2026", Case.Sensitive);
        text.ShouldContain("UBND TỈNH BẮC NINH", Case.Sensitive);
    }

    [Fact]
    public void Letters_verb_reports_an_unwritable_folder_with_exit_2()
    {
        var blocker = Path.Combine(temp, "file");
        File.WriteAllText(blocker, "not a folder");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = LetterFiles.Execute(Sample("01-on-time.yaml"), Path.Combine(blocker, "out"), "pdf", new LetterFileOptions(null, null, null), output, error);

        code.ShouldBe(2);
        error.ToString().ShouldContain("error LT001: cannot write letters");
    }

    [Fact]
    public void Letters_verb_with_an_invalid_scenario_exits_1_and_writes_nothing()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = LetterFiles.Execute(Path.Combine(temp, "missing.yaml"), Path.Combine(temp, "out"), "all", new LetterFileOptions(null, null, null), output, error);

        code.ShouldBe(1);
        error.ToString().ShouldContain("scenario file not found");
        Directory.Exists(Path.Combine(temp, "out")).ShouldBeFalse();
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
