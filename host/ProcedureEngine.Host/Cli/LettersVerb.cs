using System.CommandLine;
using ProcedureEngine.Host.Letters;

namespace ProcedureEngine.Host.Cli;

/// <summary>
/// `procedure-engine letters SCENARIO.yaml --out DIR [--format html|pdf|text|all]`: runs a scenario and
/// writes every legal form it produced (receipt, supplement requests, refusal, apology, stop notice),
/// plus the control slip and the dossier's tracking-book line, ready to print.
/// Exit 0 written, 1 scenario or definition invalid (or an unknown option), 2 folder not writable.
/// </summary>
internal static class LettersVerb
{
    public static Command Create()
    {
        var scenario = new Argument<string>("scenario") { Description = "Scenario file (YAML)" };
        var output = new Option<string>("--out") { Description = "Folder to write the letters to (created if missing)", Required = true };
        var format = new Option<string>("--format") { Description = "html, pdf, text or all", DefaultValueFactory = _ => "all" };
        format.AcceptOnlyFromAmong("html", "pdf", "text", "all");
        var publicUrl = new Option<string?>("--public-url") { Description = $"Public site of the tracking page for the QR codes (default: ${LetterOutput.PublicBaseUrlVariable})" };
        var place = new Option<string?>("--place") { Description = "Place printed before the date, e.g. \"Bắc Ninh\"" };
        var parent = new Option<string?>("--parent-agency") { Description = "Body printed above the agency name, e.g. \"UBND tỉnh Bắc Ninh\"" };
        var command = new Command("letters", "Run a scenario and write the legal forms it produced (HTML, PDF, text)")
        {
            scenario, output, format, publicUrl, place, parent,
        };
        command.SetAction(parse => LetterFiles.Execute(
            parse.GetValue(scenario)!,
            parse.GetValue(output)!,
            parse.GetValue(format)!,
            new LetterFileOptions(parse.GetValue(publicUrl), parse.GetValue(place), parse.GetValue(parent)),
            Console.Out,
            Console.Error));
        return command;
    }
}
