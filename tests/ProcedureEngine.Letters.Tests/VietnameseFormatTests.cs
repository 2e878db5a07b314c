using ProcedureEngine.Calendar;
using ProcedureEngine.Letters.Formatting;

namespace ProcedureEngine.Letters.Tests;

public sealed class VietnameseFormatTests
{
    private static readonly TimeSpan Vn = TimeSpan.FromHours(7);

    [Fact]
    public void Date_and_time_read_as_on_a_Vietnamese_administrative_document()
    {
        VietnameseFormat.DateTime(new DateTimeOffset(2026, 4, 24, 9, 0, 0, Vn), Vn).ShouldBe("09 giờ 00 phút, ngày 24 tháng 4 năm 2026");
    }

    [Theory]
    [InlineData(2026, 1, 5, "ngày 05 tháng 01 năm 2026")]
    [InlineData(2026, 2, 17, "ngày 17 tháng 02 năm 2026")]
    [InlineData(2026, 3, 9, "ngày 09 tháng 3 năm 2026")]
    [InlineData(2026, 12, 31, "ngày 31 tháng 12 năm 2026")]
    public void Days_below_10_and_the_months_January_and_February_take_a_leading_zero(int y, int m, int d, string expected)
    {
        VietnameseFormat.Date(new DateOnly(y, m, d)).ShouldBe(expected);
    }

    [Fact]
    public void Instants_are_printed_in_Vietnam_time_whatever_offset_they_carry()
    {
        // 18:30 UTC on 30 April is 01:30 on 1 May in Hà Nội.
        VietnameseFormat.DateTime(new DateTimeOffset(2026, 4, 30, 18, 30, 0, TimeSpan.Zero), Vn).ShouldBe("01 giờ 30 phút, ngày 01 tháng 5 năm 2026");
    }

    [Fact]
    public void Place_and_date_use_dots_when_the_place_is_unknown()
    {
        var at = new DateTimeOffset(2026, 4, 24, 9, 0, 0, Vn);
        VietnameseFormat.PlaceDate("Bắc Ninh", at, Vn).ShouldBe("Bắc Ninh, ngày 24 tháng 4 năm 2026");
        VietnameseFormat.PlaceDate(null, at, Vn).ShouldBe("……, ngày 24 tháng 4 năm 2026");
    }

    [Theory]
    [InlineData("15 working days", "15 ngày làm việc")]
    [InlineData("0.5 working days", "0,5 ngày làm việc")]
    [InlineData("4 working hours", "4 giờ làm việc")]
    [InlineData("20 days", "20 ngày")]
    public void Durations_keep_their_legal_unit_in_Vietnamese(string duration, string expected)
    {
        VietnameseFormat.Duration(Duration.Parse(duration)).ShouldBe(expected);
    }

    [Fact]
    public void Upper_case_keeps_the_diacritics()
    {
        VietnameseFormat.Upper("Sở Xây dựng tỉnh Bắc Ninh").ShouldBe("SỞ XÂY DỰNG TỈNH BẮC NINH");
    }
}
