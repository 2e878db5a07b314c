using System.Globalization;

namespace ProcedureEngine.Calendar;

/// <summary>The unit a legal time limit is expressed in. The unit is part of the law.</summary>
public enum DurationUnit
{
    /// <summary>"N working days" (Ngày làm việc): only office time on working days counts.</summary>
    WorkingDays,

    /// <summary>"N working hours": only office time on working days counts.</summary>
    WorkingHours,

    /// <summary>"N days" (Ngày): calendar days, Civil Code art. 147–148.</summary>
    CalendarDays,
}

/// <summary>
/// A legal duration such as "15 working days", "4 working hours" or "20 days".
/// Amounts are kept in halves so "0.5 working days" is exact.
/// </summary>
public readonly record struct Duration(int Halves, DurationUnit Unit) : IComparable<Duration>
{
    public decimal Amount => Halves / 2m;

    public static Duration WorkingDays(decimal n) => new(ToHalves(n), DurationUnit.WorkingDays);

    public static Duration WorkingHours(decimal n) => new(ToHalves(n), DurationUnit.WorkingHours);

    public static Duration CalendarDays(int n) => new(n * 2, DurationUnit.CalendarDays);

    private static int ToHalves(decimal n)
    {
        var h = n * 2m;
        if (h != decimal.Truncate(h) || h < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "amount must be a non-negative multiple of 0.5");
        }

        return (int)h;
    }

    /// <summary>
    /// Parses "N working days", "N working hours", "N days" (N a non-negative multiple of 0.5;
    /// calendar days must be whole), or the same in Vietnamese: "N ngày làm việc", "N giờ làm việc", "N ngày"
    /// (the amount may then be written with a decimal comma, "0,5"). Returns false with a human-readable reason otherwise.
    /// </summary>
    public static bool TryParse(string? text, out Duration duration, out string? error)
    {
        duration = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "duration is empty; expected 'N working days', 'N working hours' or 'N days'";
            return false;
        }

        var parts = text.Trim().Normalize(System.Text.NormalizationForm.FormC).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 2 or > 4 ||
            !decimal.TryParse(parts[0].Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            error = $"'{text}' is not a duration; expected 'N working days', 'N working hours' or 'N days'";
            return false;
        }

        var unitText = string.Join(' ', parts.Skip(1)).ToLowerInvariant();
        DurationUnit? unit = unitText switch
        {
            "working days" or "working day" or "ngày làm việc" => DurationUnit.WorkingDays,
            "working hours" or "working hour" or "giờ làm việc" => DurationUnit.WorkingHours,
            "days" or "day" or "ngày" => DurationUnit.CalendarDays,
            _ => null,
        };
        if (unit is null)
        {
            error = $"unknown duration unit '{unitText}' in '{text}'; expected 'working days', 'working hours' or 'days' ('ngày làm việc', 'giờ làm việc' or 'ngày')";
            return false;
        }

        if (n * 2m != decimal.Truncate(n * 2m))
        {
            error = $"'{text}': the amount must be a multiple of 0.5";
            return false;
        }

        if (unit == DurationUnit.CalendarDays && n != decimal.Truncate(n))
        {
            error = $"'{text}': calendar days must be a whole number";
            return false;
        }

        duration = new Duration((int)(n * 2m), unit.Value);
        return true;
    }

    public static Duration Parse(string text) =>
        TryParse(text, out var d, out var error) ? d : throw new FormatException(error);

    public int CompareTo(Duration other)
    {
        if (Unit != other.Unit)
        {
            throw new InvalidOperationException($"cannot compare {Unit} with {other.Unit} without a calendar");
        }

        return Halves.CompareTo(other.Halves);
    }

    public static bool operator <(Duration left, Duration right) => left.CompareTo(right) < 0;

    public static bool operator <=(Duration left, Duration right) => left.CompareTo(right) <= 0;

    public static bool operator >(Duration left, Duration right) => left.CompareTo(right) > 0;

    public static bool operator >=(Duration left, Duration right) => left.CompareTo(right) >= 0;

    public override string ToString() => Written(CultureInfo.InvariantCulture, "working days", "working hours", "days");

    /// <summary>As letters and messages print it: "15 ngày làm việc", "0,5 ngày làm việc", "4 giờ làm việc", "20 ngày" (which <see cref="TryParse"/> reads back).</summary>
    public string ToVietnamese() => Written(CultureInfo.GetCultureInfo("vi-VN"), "ngày làm việc", "giờ làm việc", "ngày");

    private string Written(CultureInfo culture, string workingDays, string workingHours, string calendarDays)
    {
        var amount = Amount.ToString("0.#", culture);
        return Unit switch
        {
            DurationUnit.WorkingDays => $"{amount} {workingDays}",
            DurationUnit.WorkingHours => $"{amount} {workingHours}",
            _ => $"{amount} {calendarDays}",
        };
    }
}
