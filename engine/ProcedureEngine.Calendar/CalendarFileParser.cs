using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ProcedureEngine.Calendar;

/// <summary>
/// One problem in a calendar file, printed like definition problems:
/// <c>path:line:column: error CODE: message</c>. Codes: PE901 YAML syntax, PE902 unknown key,
/// PE903 missing key, PE904 invalid value, PE905 inconsistent decision.
/// </summary>
public sealed record CalendarDiagnostic(string Path, int Line, int Column, string Code, string Message)
{
    public override string ToString() => $"{Path}:{Line}:{Column}: error {Code}: {Message}";
}

/// <summary>The calendar built from a file, or every problem found in it.</summary>
public sealed record CalendarParseResult(CalendarSpec? Spec, IReadOnlyList<CalendarDiagnostic> Errors)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>Thrown by <see cref="WorkingCalendar.Load"/> when a calendar file is invalid; the message lists every problem.</summary>
public sealed class CalendarFormatException : Exception
{
    public CalendarFormatException(IReadOnlyList<CalendarDiagnostic> errors)
        : base(string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public CalendarFormatException()
        : this([])
    {
    }

    public CalendarFormatException(string message)
        : base(message)
    {
        Errors = [];
    }

    public CalendarFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    public IReadOnlyList<CalendarDiagnostic> Errors { get; }
}

/// <summary>Parses <c>definitions/calendars/*.yaml</c>. Pure: takes the text, never reads files.</summary>
public static class CalendarFileParser
{
    private static readonly string[] TopKeys = ["id", "version", "decision", "zone", "weekend", "officeHours", "lateReceiptCutoff", "statutoryHolidays", "holidays", "years"];
    private static readonly string[] HolidayKeys = ["id", "name", "solar", "lunar", "before", "days", "adjacentDay", "law", "from", "until", "label"];
    private static readonly string[] YearKeys = ["daysOff", "workingDays"];
    private static readonly string[] DayKeys = ["date", "reason"];

    public static CalendarParseResult Parse(string yamlText, string path)
    {
        var errors = new List<CalendarDiagnostic>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yamlText));
        }
        catch (YamlException ex)
        {
            errors.Add(new CalendarDiagnostic(path, (int)ex.Start.Line, (int)ex.Start.Column, "PE901", ex.InnerException?.Message ?? ex.Message));
            return new CalendarParseResult(null, errors);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            errors.Add(new CalendarDiagnostic(path, Line(node), Column(node), "PE904", "a calendar file must be a mapping with keys id, zone, weekend, officeHours, years"));
            return new CalendarParseResult(null, errors);
        }

        var ctx = new Context(path, errors);
        var map = ctx.Mapping(root, TopKeys, "calendar");

        string? id = null;
        if (ctx.Required(root, map, "id") is { } idNode && ctx.Scalar(idNode, "id") is { } idText)
        {
            if (idText.Length == 0 || !idText.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                ctx.Error(idNode, "PE904", $"calendar id '{idText}' must be letters, digits, '-' or '_'");
            }
            else
            {
                id = idText;
            }
        }

        var zone = CalendarZones.Vietnam;
        if (map.TryGetValue("zone", out var zoneNode) && ctx.Scalar(zoneNode, "zone") is { } zoneText)
        {
            if (CalendarZones.TryGetOffset(zoneText, out _))
            {
                zone = zoneText;
            }
            else
            {
                ctx.Error(zoneNode, "PE904", $"unknown or non-fixed time zone '{zoneText}'; use one of {string.Join(", ", CalendarZones.Known)} or UTC+hh:mm");
            }
        }

        IReadOnlyList<DayOfWeek> weekend = [DayOfWeek.Saturday, DayOfWeek.Sunday];
        if (map.TryGetValue("weekend", out var weekendNode))
        {
            weekend = ParseWeekend(ctx, weekendNode);
        }

        IReadOnlyList<OfficePeriod> office = CalendarSpec.Vietnam.OfficeHours;
        if (map.TryGetValue("officeHours", out var officeNode))
        {
            office = ParseOfficeHours(ctx, officeNode);
        }

        TimeOnly? cutoff = null;
        if (map.TryGetValue("lateReceiptCutoff", out var cutoffNode) && !IsNull(cutoffNode) && ctx.Scalar(cutoffNode, "lateReceiptCutoff") is { } cutoffText)
        {
            if (TryTime(cutoffText, out var t))
            {
                cutoff = t;
                if (office.Count > 0 && (t <= office[0].Start || t >= office[^1].End))
                {
                    ctx.Error(cutoffNode, "PE904", $"lateReceiptCutoff {cutoffText} must fall inside office hours ({office[0].Start:HH\\:mm}-{office[^1].End:HH\\:mm})");
                }
            }
            else
            {
                ctx.Error(cutoffNode, "PE904", $"lateReceiptCutoff '{cutoffText}' is not a time; expected HH:mm such as \"15:00\", or null");
            }
        }

        var statutory = true;
        if (map.TryGetValue("statutoryHolidays", out var statNode) && ctx.Scalar(statNode, "statutoryHolidays") is { } statText)
        {
            if (bool.TryParse(statText, out var b))
            {
                statutory = b;
            }
            else
            {
                ctx.Error(statNode, "PE904", $"statutoryHolidays must be true or false, not '{statText}'");
            }
        }

        int? version = null;
        if (map.TryGetValue("version", out var versionNode) && !IsNull(versionNode) && ctx.Scalar(versionNode, "version") is { } versionText)
        {
            if (int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1)
            {
                version = v;
            }
            else
            {
                ctx.Error(versionNode, "PE904", $"version must be a whole number from 1, not '{versionText}'");
            }
        }

        string? decision = null;
        if (map.TryGetValue("decision", out var decisionNode) && !IsNull(decisionNode) && ctx.Scalar(decisionNode, "decision") is { } decisionText)
        {
            decision = string.IsNullOrWhiteSpace(decisionText) ? null : decisionText.Trim();
        }

        List<HolidayRule>? holidays = null;
        if (map.TryGetValue("holidays", out var holidaysNode))
        {
            holidays = ParseHolidays(ctx, holidaysNode);
            if (!statutory && holidays.Count > 0)
            {
                ctx.Error(holidaysNode, "PE905", "holidays are listed but statutoryHolidays is false: remove one of them");
            }
        }

        var years = new Dictionary<int, YearDecision>();
        if (map.TryGetValue("years", out var yearsNode) && !IsNull(yearsNode))
        {
            ParseYears(ctx, yearsNode, years);
        }

        if (errors.Count > 0)
        {
            return new CalendarParseResult(null, errors);
        }

        var spec = new CalendarSpec(id!, zone, weekend, office, cutoff, years, statutory, holidays, version, decision);
        return new CalendarParseResult(spec, errors);
    }

    private static IReadOnlyList<DayOfWeek> ParseWeekend(Context ctx, YamlNode node)
    {
        if (IsNull(node))
        {
            return [];
        }

        if (node is not YamlSequenceNode seq)
        {
            ctx.Error(node, "PE904", "weekend must be a list of day names, e.g. [saturday, sunday]");
            return [];
        }

        var days = new List<DayOfWeek>();
        foreach (var item in seq.Children)
        {
            if (ctx.Scalar(item, "weekend day") is not { } text)
            {
                continue;
            }

            if (Enum.TryParse<DayOfWeek>(text, ignoreCase: true, out var day) && !int.TryParse(text, out _))
            {
                if (days.Contains(day))
                {
                    ctx.Error(item, "PE904", $"weekend lists '{text}' twice");
                }
                else
                {
                    days.Add(day);
                }
            }
            else
            {
                ctx.Error(item, "PE904", $"'{text}' is not a day of the week; expected monday … sunday");
            }
        }

        if (days.Count == 7)
        {
            ctx.Error(node, "PE904", "weekend covers the whole week: there would be no working day");
        }

        return days;
    }

    private static List<OfficePeriod> ParseOfficeHours(Context ctx, YamlNode node)
    {
        var periods = new List<OfficePeriod>();
        if (node is not YamlSequenceNode seq || seq.Children.Count == 0)
        {
            ctx.Error(node, "PE904", "officeHours must be a non-empty list of periods such as [\"07:30-11:30\", \"13:30-17:00\"]");
            return periods;
        }

        foreach (var item in seq.Children)
        {
            if (ctx.Scalar(item, "office period") is not { } text)
            {
                continue;
            }

            var parts = text.Split('-', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !TryTime(parts[0], out var start) || !TryTime(parts[1], out var end))
            {
                ctx.Error(item, "PE904", $"office period '{text}' is not HH:mm-HH:mm");
                continue;
            }

            if (end <= start)
            {
                ctx.Error(item, "PE904", $"office period '{text}' ends before it starts");
                continue;
            }

            if (periods.Count > 0 && start < periods[^1].End)
            {
                ctx.Error(item, "PE904", $"office period '{text}' overlaps or precedes {periods[^1]}; list periods in order");
                continue;
            }

            periods.Add(new OfficePeriod(start, end));
        }

        return periods;
    }

    private static List<HolidayRule> ParseHolidays(Context ctx, YamlNode node)
    {
        var rules = new List<HolidayRule>();
        if (IsNull(node))
        {
            return rules;
        }

        if (node is not YamlSequenceNode seq)
        {
            ctx.Error(node, "PE904", "holidays must be a list of rules such as { id: tet-duong-lich, name: Tết Dương lịch, solar: 01-01, law: \"...\" }");
            return rules;
        }

        var placed = new List<(HolidayRule Rule, YamlNode Node)>();
        foreach (var item in seq.Children)
        {
            var fields = ctx.Mapping(item, HolidayKeys, "holiday rule");
            if (item is not YamlMappingNode m)
            {
                continue;
            }

            var errorsBefore = ctx.Count;
            var id = ctx.Required(m, fields, "id") is { } idNode ? ctx.Scalar(idNode, "id") : null;
            if (id is not null && (id.Length == 0 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            {
                ctx.Error(fields["id"], "PE904", $"holiday id '{id}' must be letters, digits, '-' or '_'");
            }

            var name = ctx.Required(m, fields, "name") is { } nameNode ? ctx.Scalar(nameNode, "name") : null;
            var law = ctx.Required(m, fields, "law") is { } lawNode ? ctx.Scalar(lawNode, "law") : null;

            var kind = HolidayDateKind.Solar;
            YamlNode? dateNode = null;
            if (fields.TryGetValue("solar", out var solarNode) && fields.TryGetValue("lunar", out var both))
            {
                ctx.Error(both, "PE905", "a holiday has either a solar or a lunar date, not both");
            }
            else if (fields.TryGetValue("solar", out solarNode))
            {
                dateNode = solarNode;
            }
            else if (fields.TryGetValue("lunar", out var lunarNode))
            {
                dateNode = lunarNode;
                kind = HolidayDateKind.Lunar;
            }
            else
            {
                ctx.Error(m, "PE903", "missing required key 'solar' or 'lunar' (the holiday's date as MM-DD)");
            }

            var (month, day) = (0, 0);
            if (dateNode is not null && ctx.Scalar(dateNode, "holiday date") is { } dateText)
            {
                var parts = dateText.Split('-');
                if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out month) ||
                    !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out day) || parts[0].Length != 2 || parts[1].Length != 2)
                {
                    ctx.Error(dateNode, "PE904", $"'{dateText}' is not a month and day; expected MM-DD such as 11-24");
                }
                else
                {
                    var maxDay = kind == HolidayDateKind.Lunar ? 30 : (month is >= 1 and <= 12 ? DateTime.DaysInMonth(2024, month) : 0);
                    if (month is < 1 or > 12 || day < 1 || day > maxDay)
                    {
                        ctx.Error(dateNode, "PE904", $"'{dateText}' is not a {(kind == HolidayDateKind.Lunar ? "lunar" : "solar")} month and day");
                    }
                }
            }

            var before = Count(ctx, fields, "before", 0, 0);
            var days = Count(ctx, fields, "days", 1, 1);
            var adjacent = false;
            if (fields.TryGetValue("adjacentDay", out var adjNode) && ctx.Scalar(adjNode, "adjacentDay") is { } adjText && !bool.TryParse(adjText, out adjacent))
            {
                ctx.Error(adjNode, "PE904", $"adjacentDay must be true or false, not '{adjText}'");
            }

            var from = OptionalDate(ctx, fields, "from");
            var until = OptionalDate(ctx, fields, "until");
            if (from is { } f && until is { } u && u < f)
            {
                ctx.Error(fields["until"], "PE905", $"until {u:yyyy-MM-dd} is before from {f:yyyy-MM-dd}");
            }

            string? label = null;
            if (fields.TryGetValue("label", out var labelNode) && !IsNull(labelNode))
            {
                label = ctx.Scalar(labelNode, "label");
            }

            if (ctx.Count > errorsBefore || id is null || name is null || law is null)
            {
                continue;
            }

            var rule = new HolidayRule(id, name.Trim(), kind, month, day, law.Trim(), before, days, adjacent, from, until, string.IsNullOrWhiteSpace(label) ? null : label.Trim());
            foreach (var (other, _) in placed)
            {
                if (other.Id == rule.Id &&
                    (other.From ?? DateOnly.MinValue) <= (rule.Until ?? DateOnly.MaxValue) &&
                    (rule.From ?? DateOnly.MinValue) <= (other.Until ?? DateOnly.MaxValue))
                {
                    ctx.Error(fields["id"], "PE905", $"holiday '{rule.Id}' has two versions in force at the same time; give them disjoint from/until");
                }
            }

            placed.Add((rule, item));
            rules.Add(rule);
        }

        return rules;
    }

    private static int Count(Context ctx, Dictionary<string, YamlNode> fields, string key, int min, int fallback)
    {
        if (!fields.TryGetValue(key, out var node) || ctx.Scalar(node, key) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= 15)
        {
            return n;
        }

        ctx.Error(node, "PE904", $"{key} must be a whole number {min}–15, not '{text}'");
        return fallback;
    }

    private static DateOnly? OptionalDate(Context ctx, Dictionary<string, YamlNode> fields, string key)
    {
        if (!fields.TryGetValue(key, out var node) || IsNull(node) || ctx.Scalar(node, key) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) &&
            date.Year is >= VietnameseLunarCalendar.MinYear and <= VietnameseLunarCalendar.MaxYear)
        {
            return date;
        }

        ctx.Error(node, "PE904", $"{key} '{text}' is not a date within {VietnameseLunarCalendar.MinYear}–{VietnameseLunarCalendar.MaxYear}; expected YYYY-MM-DD");
        return null;
    }

    private static void ParseYears(Context ctx, YamlNode node, Dictionary<int, YearDecision> years)
    {
        if (node is not YamlMappingNode map)
        {
            ctx.Error(node, "PE904", "years must map a year to its decisions, e.g. 2026: { daysOff: [...], workingDays: [...] }");
            return;
        }

        foreach (var (keyNode, valueNode) in map.Children)
        {
            var keyText = (keyNode as YamlScalarNode)?.Value;
            if (!int.TryParse(keyText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) ||
                year is < VietnameseLunarCalendar.MinYear or > VietnameseLunarCalendar.MaxYear)
            {
                ctx.Error(keyNode, "PE904", $"'{keyText}' is not a year within {VietnameseLunarCalendar.MinYear}–{VietnameseLunarCalendar.MaxYear}");
                continue;
            }

            if (years.ContainsKey(year))
            {
                ctx.Error(keyNode, "PE904", $"year {year} is listed twice");
                continue;
            }

            if (IsNull(valueNode))
            {
                years[year] = YearDecision.Empty;
                continue;
            }

            var fields = ctx.Mapping(valueNode, YearKeys, $"year {year}");
            var off = fields.TryGetValue("daysOff", out var offNode) ? ParseDays(ctx, offNode, year, "daysOff") : [];
            var work = fields.TryGetValue("workingDays", out var workNode) ? ParseDays(ctx, workNode, year, "workingDays") : [];

            foreach (var (day, dayNode) in work)
            {
                if (off.Any(o => o.Day.Date == day.Date))
                {
                    ctx.Error(dayNode, "PE905", $"{day.Date:yyyy-MM-dd} is listed both as a day off and as a working day");
                }
            }

            years[year] = new YearDecision(off.Select(o => o.Day).ToList(), work.Select(w => w.Day).ToList());
        }
    }

    private static List<(DecidedDay Day, YamlNode Node)> ParseDays(Context ctx, YamlNode node, int year, string key)
    {
        var result = new List<(DecidedDay, YamlNode)>();
        if (IsNull(node))
        {
            return result;
        }

        if (node is not YamlSequenceNode seq)
        {
            ctx.Error(node, "PE904", $"{key} must be a list of dates (YYYY-MM-DD) or of {{ date, reason }}");
            return result;
        }

        foreach (var item in seq.Children)
        {
            YamlNode dateNode = item;
            string? reason = null;
            if (item is YamlMappingNode m)
            {
                var fields = ctx.Mapping(m, DayKeys, $"{key} entry");
                if (ctx.Required(m, fields, "date") is not { } dn)
                {
                    continue;
                }

                dateNode = dn;
                if (fields.TryGetValue("reason", out var rn) && !IsNull(rn))
                {
                    reason = ctx.Scalar(rn, "reason");
                }
            }

            if (ctx.Scalar(dateNode, "date") is not { } text)
            {
                continue;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                ctx.Error(dateNode, "PE904", $"'{text}' is not a date; expected YYYY-MM-DD");
                continue;
            }

            if (date.Year != year)
            {
                ctx.Error(dateNode, "PE905", $"{text} is listed under year {year}");
                continue;
            }

            if (result.Any(r => r.Item1.Date == date))
            {
                ctx.Error(dateNode, "PE905", $"{text} is listed twice in {key}");
                continue;
            }

            result.Add((new DecidedDay(date, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim()), dateNode));
        }

        return result;
    }

    private static bool TryTime(string text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) } s &&
        (s.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static int Line(YamlNode? node) => node is null ? 1 : (int)node.Start.Line;

    private static int Column(YamlNode? node) => node is null ? 1 : (int)node.Start.Column;

    private sealed class Context(string path, List<CalendarDiagnostic> errors)
    {
        public int Count => errors.Count;

        public void Error(YamlNode node, string code, string message) =>
            errors.Add(new CalendarDiagnostic(path, Line(node), Column(node), code, message));

        /// <summary>Reads a mapping's fields, reporting unknown and duplicate keys.</summary>
        public Dictionary<string, YamlNode> Mapping(YamlNode node, string[] allowed, string what)
        {
            var fields = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
            if (node is not YamlMappingNode map)
            {
                Error(node, "PE904", $"{what} must be a mapping with keys {string.Join(", ", allowed)}");
                return fields;
            }

            foreach (var (keyNode, valueNode) in map.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
                if (!allowed.Contains(key, StringComparer.Ordinal))
                {
                    Error(keyNode, "PE902", $"unknown key '{key}' in {what}; allowed: {string.Join(", ", allowed)}");
                }
                else if (!fields.TryAdd(key, valueNode))
                {
                    Error(keyNode, "PE902", $"key '{key}' appears twice in {what}");
                }
            }

            return fields;
        }

        public YamlNode? Required(YamlNode owner, Dictionary<string, YamlNode> fields, string key)
        {
            if (fields.TryGetValue(key, out var node) && !IsNull(node))
            {
                return node;
            }

            Error(fields.TryGetValue(key, out var n) ? n : owner, "PE903", $"missing required key '{key}'");
            return null;
        }

        public string? Scalar(YamlNode node, string what)
        {
            if (node is YamlScalarNode s)
            {
                return s.Value ?? string.Empty;
            }

            Error(node, "PE904", $"{what} must be a single value");
            return null;
        }
    }
}
