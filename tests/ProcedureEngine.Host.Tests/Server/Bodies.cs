namespace ProcedureEngine.Host.Tests.Server;

/// <summary>Request bodies several test classes send.</summary>
internal static class Bodies
{
    /// <summary>A complete dossier of 1.013233 (extension of a construction permit) for <paramref name="applicant"/>: receipt or online submission.</summary>
    public static object PermitExtension(string applicant) => new
    {
        procedure = new { code = "1.013233" },
        applicant = new { name = applicant, phone = "0912345678" },
        documents = new[] { "chinh-giay-phep-xay-dung-da", "don-de-nghi-gia-han-giay" },
    };
}
