using System.Collections.Frozen;

namespace ProcedureEngine.Definitions.Diagnostics;

/// <summary>
/// What each diagnostic code means, in Vietnamese, for the people who author definitions in the designer.
/// The message of a diagnostic (English, as the command line prints it) gives the detail; the title names
/// the rule. A test checks that every code in <see cref="DiagnosticCodes"/> has one.
/// </summary>
public static class DiagnosticTitles
{
    private static readonly FrozenDictionary<string, string> Titles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [DiagnosticCodes.YamlSyntax] = "Lỗi cú pháp YAML",
        [DiagnosticCodes.DuplicateKey] = "Một khóa được khai báo hai lần",
        [DiagnosticCodes.EmptyFile] = "Tệp rỗng",
        [DiagnosticCodes.NotText] = "Tệp không phải văn bản UTF-8",
        [DiagnosticCodes.TooLarge] = "Tệp lớn hơn 1 MiB",
        [DiagnosticCodes.TooDeep] = "Cấu trúc lồng nhau quá sâu",
        [DiagnosticCodes.AliasOrTag] = "Không được dùng anchor, alias hoặc tag của YAML",
        [DiagnosticCodes.MultipleDocuments] = "Tệp chứa nhiều tài liệu YAML",
        [DiagnosticCodes.NotAMapping] = "Nội dung tệp phải là một bảng khóa – giá trị",
        [DiagnosticCodes.UnknownKey] = "Khóa không có trong đặc tả định nghĩa thủ tục",
        [DiagnosticCodes.MissingKey] = "Thiếu khóa bắt buộc",
        [DiagnosticCodes.UnknownPredecessor] = "Bước đứng trước chưa được khai báo",
        [DiagnosticCodes.Cycle] = "Các bước tạo thành vòng lặp",
        [DiagnosticCodes.FirstStep] = "Quy trình phải có đúng một bước bắt đầu",
        [DiagnosticCodes.UnreachableStep] = "Bước không bao giờ được thực hiện",
        [DiagnosticCodes.DuplicateId] = "Mã định danh bị trùng",
        [DiagnosticCodes.UnknownAgency] = "Cơ quan chưa được khai báo",
        [DiagnosticCodes.NoOneStopAgency] = "Thiếu bộ phận một cửa tiếp nhận hồ sơ",
        [DiagnosticCodes.UnknownDocument] = "Thành phần hồ sơ chưa được khai báo",
        [DiagnosticCodes.WrongType] = "Giá trị sai kiểu",
        [DiagnosticCodes.InvalidValue] = "Giá trị không hợp lệ",
        [DiagnosticCodes.InvalidDate] = "Ngày không hợp lệ",
        [DiagnosticCodes.InvalidDuration] = "Thời hạn viết sai",
        [DiagnosticCodes.CodeFormat] = "Mã thủ tục sai định dạng",
        [DiagnosticCodes.InvalidVersion] = "Số phiên bản không hợp lệ",
        [DiagnosticCodes.EffectiveRange] = "Thời gian hiệu lực không hợp lệ",
        [DiagnosticCodes.Empty] = "Giá trị hoặc danh sách không được để trống",
        [DiagnosticCodes.InvalidId] = "Mã định danh sai định dạng",
        [DiagnosticCodes.UnknownInput] = "Điều kiện dùng thông tin chưa được khai báo",
        [DiagnosticCodes.ConditionValueType] = "Giá trị trong điều kiện sai kiểu",
        [DiagnosticCodes.MalformedCondition] = "Điều kiện viết sai cú pháp",
        [DiagnosticCodes.InvalidEnumValues] = "Danh sách giá trị lựa chọn không hợp lệ",
        [DiagnosticCodes.LongestPathExceedsLimit] = "Tổng thời gian các bước vượt thời hạn giải quyết",
        [DiagnosticCodes.MixedUnits] = "Đơn vị thời gian của các bước và của thời hạn giải quyết khác nhau",
        [DiagnosticCodes.CaseLongerThanLimit] = "Thời hạn của một trường hợp dài hơn thời hạn giải quyết chung",
        [DiagnosticCodes.CasesOverlap] = "Hai trường hợp về thời hạn cùng áp dụng cho một hồ sơ",
        [DiagnosticCodes.CaseNeverApplies] = "Trường hợp về thời hạn không bao giờ áp dụng hoặc đọc thông tin không liệt kê được",
        [DiagnosticCodes.UnknownField] = "Lĩnh vực chưa có trong danh mục lĩnh vực",
        [DiagnosticCodes.NoFieldsFile] = "Thiếu tệp danh mục lĩnh vực (fields.yaml)",
        [DiagnosticCodes.AgencyMismatch] = "Cơ quan trùng mã định danh nhưng khác mã điện tử trong danh mục cơ quan",
        [DiagnosticCodes.UnknownCalendar] = "Lịch làm việc chưa được khai báo",
        [DiagnosticCodes.DuplicateVersion] = "Phiên bản đã có",
        [DiagnosticCodes.OverlappingVersions] = "Thời gian hiệu lực của hai phiên bản chồng lên nhau",
        [DiagnosticCodes.OverlayUnknownProcedure] = "Quy định của địa phương áp dụng cho thủ tục không có",
        [DiagnosticCodes.OverlayUnknownStep] = "Quy định của địa phương nêu bước không có",
        [DiagnosticCodes.OverlayLengthens] = "Địa phương chỉ được rút ngắn, không được kéo dài thời hạn",
        [DiagnosticCodes.OverlayJurisdictionFolder] = "Quy định của địa phương đặt sai thư mục địa bàn",
        [DiagnosticCodes.OverlayUnitMismatch] = "Quy định của địa phương dùng đơn vị thời gian không so sánh được",
        [DiagnosticCodes.OverlappingOverlays] = "Hai quy định của địa phương chồng lên nhau về thời gian hiệu lực",
        [DiagnosticCodes.OverlayOutsideVersions] = "Quy định của địa phương có hiệu lực khi thủ tục không có phiên bản nào",
        [DiagnosticCodes.SchemaLine] = "Dòng đầu chưa khai báo schema của danh mục",
        [DiagnosticCodes.CodeFileName] = "Tên tệp không bắt đầu bằng mã thủ tục",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The Vietnamese title of <paramref name="code"/>, or null for a code this table does not know.</summary>
    public static string? For(string code) => Titles.GetValueOrDefault(code);

    /// <summary>Every titled code.</summary>
    public static IEnumerable<string> Codes => Titles.Keys;
}
