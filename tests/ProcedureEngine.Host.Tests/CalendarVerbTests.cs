using System.Diagnostics;
using System.Text;

namespace ProcedureEngine.Host.Tests;

/// <summary>Runs the real `procedure-engine calendar` executable, as an administrator would.</summary>
public sealed class CalendarVerbTests
{
    private static readonly string RepositoryRoot = Repository.Root;

    private static (int Exit, string Output, string Error) Run(string workingDirectory, params string[] args) => Cli.Run(workingDirectory, args, 60);

    [Fact]
    public void Calendar_2026_prints_each_non_working_day_with_its_reason_from_vn_yaml()
    {
        var (exit, output, _) = Run(RepositoryRoot, "calendar", "2026");
        exit.ShouldBe(0);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain("2026-01-01 Tết Dương lịch");
        lines.ShouldContain("2026-02-17 Tết Nguyên đán Bính Ngọ (mùng 1 tháng Giêng)");
        lines.Select(l => l[..10]).ShouldBe([
            "2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20",
            "2026-04-27", "2026-04-30", "2026-05-01", "2026-09-01", "2026-09-02",
        ]);
    }

    [Fact]
    public void Make_up_working_days_are_listed_on_request()
    {
        var (exit, output, _) = Run(RepositoryRoot, "calendar", "2026", "--make-up");
        exit.ShouldBe(0);
        output.Trim().ShouldBe("2026-01-10 Làm việc bù cho ngày nghỉ 02/01/2026");
    }

    [Fact]
    public void Without_a_calendar_file_the_statutory_rules_are_used()
    {
        var empty = Directory.CreateTempSubdirectory("pe-calendar-");
        try
        {
            var (exit, output, error) = Run(empty.FullName, "calendar", "2027");
            exit.ShouldBe(0);
            output.ShouldContain("2027-02-10 Nghỉ bù Tết Nguyên đán Đinh Mùi (mùng 1 tháng Giêng) trùng ngày nghỉ hằng tuần 06/02");
            error.ShouldContain("definitions/calendars/vn.yaml");
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_bad_calendar_file_is_reported_with_line_and_column_and_exit_code_1()
    {
        var file = Path.Combine(Path.GetTempPath(), $"pe-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, "id: vn\nofficeHours: [\"07:30-11:30\"]\nholiday: []\n");
        try
        {
            var (exit, output, error) = Run(RepositoryRoot, "calendar", "2026", "--calendar", file);
            exit.ShouldBe(1);
            output.ShouldBeEmpty();
            error.ShouldContain($"{file}:3:1: error PE902: unknown key 'holiday'");
            error.ShouldNotContain("   at ");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_year_outside_the_supported_range_is_refused()
    {
        var (exit, _, error) = Run(RepositoryRoot, "calendar", "2300");
        exit.ShouldBe(2);
        error.ShouldContain("1900–2199");
    }

    [Fact]
    public void Calendar_diff_prints_the_days_a_new_holiday_rule_changes()
    {
        var vn = File.ReadAllText(Path.Combine(RepositoryRoot, "definitions/calendars/vn.yaml"));
        var marker = "  # Ngày Văn hóa Việt Nam";
        vn.ShouldContain(marker);
        var withRule = vn.Replace("version: 1", "version: 2", StringComparison.Ordinal).Replace(marker,
            "  - { id: van-hoa-viet-nam, name: \"Ngày Văn hóa Việt Nam\", solar: 11-24, from: 2026-07-01, law: \"Bộ luật Lao động (sửa đổi), Điều 112\" }\n" + marker,
            StringComparison.Ordinal);
        var file = Path.Combine(Path.GetTempPath(), $"pe-vn-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(file, withRule);
        try
        {
            var (exit, output, error) = Run(RepositoryRoot, "calendar", "diff", "definitions/calendars/vn.yaml", file, "--from", "2026-01-01", "--until", "2027-12-31");
            error.ShouldBeEmpty();
            exit.ShouldBe(0);
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ShouldBe([
                "# lịch vn: phiên bản 1 → 2",
                "2026-11-24 làm việc → nghỉ: Ngày Văn hóa Việt Nam (24/11)",
                "2027-11-24 làm việc → nghỉ: Ngày Văn hóa Việt Nam (24/11)",
                "# 2 ngày thay đổi",
            ]);

            var (badExit, _, badError) = Run(RepositoryRoot, "calendar", "diff", "definitions/calendars/vn.yaml", "no-such.yaml");
            badExit.ShouldBe(1);
            badError.ShouldContain("no-such.yaml");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
