using ProcedureEngine.Dossiers.Scenarios;
using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Model;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Host.Letters;

/// <summary>Options and file names for the `letters` verb (simulate's letter text: <see cref="Simulation.Simulator.LetterTexts"/>).</summary>
public static class LetterOutput
{
    /// <summary>Environment variable naming the public site whose /track/{code} page the QR codes point at.</summary>
    public const string PublicBaseUrlVariable = "PE_PUBLIC_BASE_URL";

    public static LetterOptions Options(IWorkingCalendar calendar, ProcedureDefinition? definition = null, string? publicBaseUrl = null, string? place = null, string? parentAgency = null) => new()
    {
        Calendar = calendar,
        Definition = definition,
        PublicBaseUrl = publicBaseUrl ?? Environment.GetEnvironmentVariable(PublicBaseUrlVariable),
        Place = place,
        ParentAgencyName = parentAgency,
    };

    public static List<DossierEvent> Events(ScenarioRun run) => [.. run.Events.Select(e => e.Event)];

    /// <summary>A file name that sorts in issue order and says what the form is: "01-mau-01-receipt".</summary>
    public static string FileStem(long seq, LetterData letter) =>
        $"{seq:00}-mau-{LetterRenderer.FormOf(letter).Number}-{letter.TemplateName}";
}
