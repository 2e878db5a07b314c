using System.Globalization;
using ProcedureEngine.Calendar;

namespace ProcedureEngine.Letters.Formatting;

/// <summary>
/// Dates, times and durations as Vietnamese administrative documents write them
/// (Nghị định 30/2020/NĐ-CP: days below 10 and the months 1 and 2 take a leading zero).
/// </summary>
public static class VietnameseFormat
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>"ngày 05 tháng 01 năm 2026", "ngày 24 tháng 4 năm 2026".</summary>
    public static string Date(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"ngày {date.Day:00} tháng {Month(date.Month)} năm {date.Year}");

    /// <summary>The date of an instant seen at <paramref name="offset"/>.</summary>
    public static string Date(DateTimeOffset instant, TimeSpan offset) => Date(DateOnly.FromDateTime(instant.ToOffset(offset).DateTime));

    /// <summary>"09 giờ 00 phút, ngày 24 tháng 4 năm 2026".</summary>
    public static string DateTime(DateTimeOffset instant, TimeSpan offset)
    {
        var local = instant.ToOffset(offset);
        return string.Create(CultureInfo.InvariantCulture, $"{local.Hour:00} giờ {local.Minute:00} phút, ") + Date(DateOnly.FromDateTime(local.DateTime));
    }

    /// <summary>"Bắc Ninh, ngày 24 tháng 4 năm 2026"; dots for the place when unknown.</summary>
    public static string PlaceDate(string? place, DateTimeOffset instant, TimeSpan offset) =>
        $"{(string.IsNullOrWhiteSpace(place) ? "……" : place.Trim())}, {Date(instant, offset)}";

    /// <summary>"dd/MM/yyyy" for table cells.</summary>
    public static string ShortDate(DateTimeOffset instant, TimeSpan offset) =>
        instant.ToOffset(offset).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"HH:mm dd/MM/yyyy" for table cells.</summary>
    public static string ShortDateTime(DateTimeOffset instant, TimeSpan offset) =>
        instant.ToOffset(offset).ToString("HH:mm dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"15 ngày làm việc", "0,5 ngày làm việc", "4 giờ làm việc", "20 ngày".</summary>
    public static string Duration(Duration duration) => duration.ToVietnamese();

    /// <summary>Early / on time / late as printed on the control slip.</summary>
    public static string Result(Model.HandoverResult result) => result switch
    {
        Model.HandoverResult.Early => "Trước hạn",
        Model.HandoverResult.OnTime => "Đúng hạn",
        _ => "Quá hạn",
    };

    /// <summary>Upper case as Vietnamese writes it (diacritics kept).</summary>
    public static string Upper(string text) => text.ToUpper(Vi);

    private static string Month(int month) => month <= 2 ? month.ToString("00", CultureInfo.InvariantCulture) : month.ToString(CultureInfo.InvariantCulture);
}
