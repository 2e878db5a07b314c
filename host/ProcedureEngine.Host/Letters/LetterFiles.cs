using ProcedureEngine.Letters.Composition;
using ProcedureEngine.Letters.Model;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Host.Letters;

public sealed record LetterFileOptions(string? PublicBaseUrl, string? Place, string? ParentAgency);

/// <summary>The `letters` verb's work: run a scenario, write each form as HTML / PDF / text files.</summary>
public static class LetterFiles
{
    public static int Execute(string scenarioPath, string outputDirectory, string format, LetterFileOptions fileOptions, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(fileOptions);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var (run, loaded, problems) = Simulator.Simulate(scenarioPath);
        foreach (var p in problems)
        {
            error.WriteLine(p);
        }

        if (run is null || loaded is null)
        {
            return 1;
        }

        var options = LetterOutput.Options(loaded.Calendar, loaded.Definition, fileOptions.PublicBaseUrl, fileOptions.Place, fileOptions.ParentAgency);
        var events = LetterOutput.Events(run);
        var documents = new List<(string Stem, LetterData Letter)>();
        foreach (var (seq, letter) in DossierLetters.All(events, options))
        {
            documents.Add((LetterOutput.FileStem(seq, letter), letter));
        }

        if (DossierLetters.ControlSlip(events, options) is { } slip)
        {
            documents.Add(($"{events.Count:00}-mau-{LetterRenderer.FormOf(slip).Number}-{slip.TemplateName}", slip));
            if (DossierLetters.TrackingBookRow(events, options) is { } row)
            {
                var book = new TrackingBook
                {
                    RuleSetId = slip.RuleSetId,
                    Agency = slip.Agency,
                    Place = slip.Place,
                    IssuedAt = events[^1].At,
                    UtcOffset = slip.UtcOffset,
                    Rows = ImmutableArray.Create(row),
                };
                documents.Add(($"{events.Count:00}-mau-{LetterRenderer.FormOf(book).Number}-{book.TemplateName}", book));
            }
        }

        try
        {
            Directory.CreateDirectory(outputDirectory);
            foreach (var (stem, letter) in documents)
            {
                var renderer = LetterRenderer.Default;
                if (format is "html" or "all")
                {
                    Write(Path.Combine(outputDirectory, stem + ".html"), renderer.RenderHtml(letter), output);
                }

                if (format is "text" or "all")
                {
                    Write(Path.Combine(outputDirectory, stem + ".txt"), renderer.RenderText(letter), output);
                }

                if (format is "pdf" or "all")
                {
                    var path = Path.Combine(outputDirectory, stem + ".pdf");
                    File.WriteAllBytes(path, renderer.RenderPdf(letter));
                    output.WriteLine(path);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"{outputDirectory}: error LT001: cannot write letters: {ex.Message}");
            return 2;
        }

        return 0;
    }

    private static void Write(string path, string text, TextWriter output)
    {
        File.WriteAllText(path, text);
        output.WriteLine(path);
    }
}
