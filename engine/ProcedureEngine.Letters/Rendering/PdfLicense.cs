using PdfSharp;

namespace ProcedureEngine.Letters.Rendering;

/// <summary>
/// PDFsharp 6.5 is dual-licensed (AGPL-3.0-only or commercial) and refuses to write a PDF until a
/// licence is chosen. A deployment holding a commercial key calls <see cref="UseCommercialKey"/> once at
/// start-up; otherwise the first PDF accepts the AGPL terms (see docs/letters.md).
/// </summary>
public static class PdfLicense
{
    private static readonly object Gate = new();
    private static bool chosen;

    /// <summary>Loads a commercial PDFsharp licence key (base64, as issued by its vendor).</summary>
    public static void UseCommercialKey(string base64Key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(base64Key);
        lock (Gate)
        {
            PdfSharpLicense.LoadLicense(base64Key);
            chosen = true;
        }
    }

    internal static void EnsureChosen()
    {
        if (Volatile.Read(ref chosen))
        {
            return;
        }

        lock (Gate)
        {
            if (!chosen)
            {
                PdfSharpLicense.SetAgplLicense();
                Volatile.Write(ref chosen, true);
            }
        }
    }
}
