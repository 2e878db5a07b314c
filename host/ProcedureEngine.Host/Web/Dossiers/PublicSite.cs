using ProcedureEngine.Letters.Composition;

namespace ProcedureEngine.Host.Web.Dossiers;

/// <summary>What the server's letters print beyond the events: the tracking site (QR code), the place, the parent body, officers' names.</summary>
public sealed record PublicSite(string BaseUrl, string? Place = null, string? ParentAgency = null, UserDirectorySource? Users = null)
{
    public LetterOptions LetterOptions(LoadedDossier dossier) => new()
    {
        Definition = dossier.Definition,
        Calendar = dossier.Calendar,
        PublicBaseUrl = BaseUrl,
        Place = Place,
        ParentAgencyName = ParentAgency,
        OfficerName = user => Users?.Current.FindById(user)?.Name,
    };
}
