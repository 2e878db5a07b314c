using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace ProcedureEngine.Host.Web.Workspace;

/// <summary>One table of the dashboard as exported: a sheet in XLSX, a section in CSV.</summary>
public sealed record ExportTable(string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>The dashboard's numbers as CSV (UTF-8 with BOM, for Excel) and XLSX (one sheet per table, numbers as numbers).</summary>
public static class DashboardExport
{
    public static IReadOnlyList<ExportTable> Tables(DashboardData d) =>
    [
        new("Chỉ số 766", ["Chỉ số", "Giá trị (%)", "Tử số", "Mẫu số", "Công thức"],
            [.. d.Indicators.Select(i => (IReadOnlyList<object?>)[i.Name, i.Value, i.Numerator, i.Denominator, i.Formula])]),
        new("Đúng hạn theo cơ quan", ["Mã", "Cơ quan", "Bước đã xong", "Bước đúng hạn", "Bước trễ hạn", "Từ chối", "Dừng", "Tỷ lệ đúng hạn (%)"], OnTime(d.OnTimeByAgency)),
        new("Đúng hạn theo lĩnh vực", ["Mã", "Lĩnh vực", "Hồ sơ đã kết thúc", "Đúng hạn", "Trễ hạn", "Từ chối", "Rút/dừng", "Tỷ lệ đúng hạn (%)"], OnTime(d.OnTimeByField)),
        new("Đúng hạn theo thủ tục", ["Mã", "Thủ tục", "Hồ sơ đã kết thúc", "Đúng hạn", "Trễ hạn", "Từ chối", "Rút/dừng", "Tỷ lệ đúng hạn (%)"], OnTime(d.OnTimeByProcedure)),
        new("Việc đang chờ", ["Mã", "Cơ quan", "Việc đang chờ", "Quá hạn", "Sắp đến hạn"],
            [.. d.OpenByAgency.Select(a => (IReadOnlyList<object?>)[a.Agency, a.Name, a.Waiting, a.Overdue, a.AtRisk])]),
        new("Hồ sơ theo trạng thái", ["Trạng thái", "Tên", "Số hồ sơ"], [.. d.OpenByStatus.Select(s => (IReadOnlyList<object?>)[s.Key, s.Name, s.Count])]),
        new("Thư xin lỗi", ["Mã", "Cơ quan có lỗi", "Số thư"], [.. d.ApologiesByAgency.Select(a => (IReadOnlyList<object?>)[a.Key, a.Name, a.Count])]),
        new("Thời gian giải quyết", ["Mã", "Thủ tục", "Hồ sơ đã trả", "Trung bình (ngày làm việc)", "Thời hạn (ngày làm việc)", "Tỷ lệ"],
            [.. d.ProcessingTime.Select(p => (IReadOnlyList<object?>)[p.Procedure, p.Name, p.Returned, p.AverageWorkingDays, p.AverageLegalWorkingDays, p.Ratio])]),
        new("Mức độ hài lòng", ["Số đánh giá", "Điểm trung bình", "Thời gian", "Số lần liên hệ", "Thông tin công khai", "Thái độ cán bộ"],
            [[d.Satisfaction.Ratings, d.Satisfaction.Average, d.Satisfaction.TimeTaken, d.Satisfaction.Contacts, d.Satisfaction.Accuracy, d.Satisfaction.Attitude]]),
    ];

    private static IReadOnlyList<IReadOnlyList<object?>> OnTime(IReadOnlyList<OnTimeNamedRow> rows) =>
        [.. rows.Select(r => (IReadOnlyList<object?>)[r.Group, r.Name, r.Finished, r.OnTime, r.Late, r.Refused, r.Stopped, r.OnTimeRate])];

    public static byte[] Csv(DashboardData data)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Báo cáo từ ngày {data.From:dd/MM/yyyy} đến ngày {data.To:dd/MM/yyyy}\r\n");
        foreach (var table in Tables(data))
        {
            text.Append("\r\n").Append(Field(table.Title)).Append("\r\n");
            text.Append(string.Join(",", table.Headers.Select(Field))).Append("\r\n");
            foreach (var row in table.Rows)
            {
                text.Append(string.Join(",", row.Select(v => Field(Format(v))))).Append("\r\n");
            }
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(DashboardData data)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            uint id = 1;
            foreach (var table in Tables(data))
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var rows = new SheetData();
                rows.Append(Row(table.Headers.Cast<object?>()));
                foreach (var row in table.Rows)
                {
                    rows.Append(Row(row));
                }

                part.Worksheet = new Worksheet(rows);
                sheets.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id++, Name = SheetName(table.Title) });
            }

            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static Row Row(IEnumerable<object?> values)
    {
        var row = new Row();
        foreach (var value in values)
        {
            row.Append(value switch
            {
                null => new Cell(),
                int or long or decimal or double => new Cell { DataType = CellValues.Number, CellValue = new CellValue(Format(value)) },
                _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(Format(value)) { Space = SpaceProcessingModeValues.Preserve }) },
            });
        }

        return row;
    }

    /// <summary>Excel's limits on sheet names: 31 characters, none of []:*?/\.</summary>
    private static string SheetName(string title)
    {
        var clean = new string([.. title.Where(c => "[]:*?/\\".IndexOf(c, StringComparison.Ordinal) < 0)]);
        return clean.Length <= 31 ? clean : clean[..31];
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Field(string text) =>
        text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
