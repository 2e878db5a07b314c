using System.Globalization;
using System.Text;

namespace ProcedureEngine.Notifications;

/// <summary>How an SMS is encoded: GSM 03.38 7-bit (160 characters in one part) or UCS-2 (70).</summary>
public enum SmsEncoding
{
    /// <summary>Vietnamese without diacritics, as brand-name SMS usually are: 160 characters.</summary>
    Gsm7,

    /// <summary>Vietnamese with diacritics: 70 characters.</summary>
    Ucs2,
}

/// <summary>GSM 03.38 alphabet checks and lengths: what fits in one SMS part.</summary>
public static class SmsText
{
    private const string Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // Characters of the extension table: each takes two septets (escape + character).
    private const string Extension = "^{}\\[~]|€\f";

    /// <summary>One-part limit of an encoding.</summary>
    public static int Limit(SmsEncoding encoding) => encoding == SmsEncoding.Gsm7 ? 160 : 70;

    /// <summary>True when every character is in the GSM 03.38 default alphabet or its extension.</summary>
    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal));

    /// <summary>Length as the network counts it: septets for GSM-7 (extension characters count two), UTF-16 units for UCS-2.</summary>
    public static int Length(string text, SmsEncoding encoding) =>
        encoding == SmsEncoding.Gsm7 ? text.Sum(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1) : text.Length;

    /// <summary>The encoding a text needs: GSM-7 when it can, else UCS-2.</summary>
    public static SmsEncoding EncodingOf(string text) => IsGsm7(text) ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2;

    /// <summary>True when the text is one SMS part in the encoding it needs.</summary>
    public static bool FitsOnePart(string text) => Length(text, EncodingOf(text)) <= Limit(EncodingOf(text));

    /// <summary>Vietnamese without diacritics ("Hồ sơ đã tiếp nhận" -> "Ho so da tiep nhan"); đ/Đ become d/D.</summary>
    public static string RemoveDiacritics(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decomposed = text.Replace('đ', 'd').Replace('Đ', 'D').Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(c);
            }
        }

        return result.ToString().Normalize(NormalizationForm.FormC);
    }
}
