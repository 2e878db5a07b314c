using ProcedureEngine.Calendar;

namespace ProcedureEngine.Calendar.Tests;

/// <summary>Loads the repository's definitions/calendars/vn.yaml once (tests pin real decisions on it).</summary>
internal static class Calendars
{
    private static readonly Lazy<WorkingCalendar> Vn = new(() =>
    {
        var path = FindRepositoryFile("definitions/calendars/vn.yaml");
        return WorkingCalendar.Load(File.ReadAllText(path), "definitions/calendars/vn.yaml");
    });

    public static WorkingCalendar VnFile => Vn.Value;

    public static string FindRepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    /// <summary>A local time in Vietnam (UTC+7).</summary>
    public static DateTimeOffset At(string local) =>
        new(DateTime.Parse(local, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(7));
}
