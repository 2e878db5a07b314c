using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using HandlebarsDotNet;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Layout;
using ProcedureEngine.Letters.Model;

namespace ProcedureEngine.Letters.Rendering;

/// <summary>A letter template that is missing, does not compile, or produces markup the PDF and text renderers can't read.</summary>
public sealed class LetterTemplateException : Exception
{
    public LetterTemplateException(string message)
        : base(message)
    {
    }

    public LetterTemplateException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Renders the legal forms to HTML (Handlebars templates), plain text and PDF. The HTML is the single
/// source of the wording: the text and PDF renderings are read from it, so all three always agree.
/// The letter's rule set (found in <see cref="RuleSets"/>) gives the form's number, title, paper and circular.
/// Templates: <c>{form}.{ruleSet}.hbs</c> where a rule set words a form differently, else <c>{form}.hbs</c>; each is
/// looked for in the province's directory, then (rule-set-specific names only) among the rule set's own
/// <see cref="RuleSet.LetterTemplates"/>, then among the embedded ones (<c>Forms/{Form}/</c>). Thread-safe;
/// compiled templates are cached per rule set.
/// </summary>
public sealed class LetterRenderer
{
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 32).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c)]);

    private static readonly Lazy<LetterRenderer> DefaultInstance = new(() => new LetterRenderer());

    private readonly IHandlebars handlebars;
    private readonly string? overrideDirectory;
    private readonly ConditionalWeakTable<RuleSet, ConcurrentDictionary<FormKind, HandlebarsTemplate<object, object>>> compiled = new();

    /// <param name="templateDirectory">Optional folder whose <c>*.hbs</c> files replace the built-in templates and partials of the same name.</param>
    public LetterRenderer(string? templateDirectory = null)
    {
        overrideDirectory = templateDirectory;
        if (overrideDirectory is not null && !Directory.Exists(overrideDirectory))
        {
            throw new DirectoryNotFoundException($"letter template folder '{overrideDirectory}' does not exist");
        }

        handlebars = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = false });
        foreach (var partial in new[] { "head", "heading", "code", "foot", "notice-opening", "notice-signature" })
        {
            handlebars.RegisterTemplate(partial, Load($"_{partial}.hbs") ?? throw new LetterTemplateException($"letter partial '_{partial}.hbs' is missing"));
        }
    }

    /// <summary>The renderer with the built-in templates.</summary>
    public static LetterRenderer Default => DefaultInstance.Value;

    /// <summary>The rule set of this letter, or a clear error when none with its id is known.</summary>
    public static RuleSet RuleSetOf(LetterData letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return RuleSets.Find(letter.RuleSetId)
            ?? throw new ArgumentException($"unknown rule set '{letter.RuleSetId}'; expected {RuleSets.KnownIds}", nameof(letter));
    }

    /// <summary>The form of this letter under its rule set (number, title, paper), or a clear error when the rule set has none.</summary>
    public static FormInfo FormOf(LetterData letter) => FormOf(letter, RuleSetOf(letter));

    private static FormInfo FormOf(LetterData letter, RuleSet rules) =>
        rules.Form(letter.Kind) ?? throw new ArgumentException($"rule set '{rules.Id}' has no form for {letter.Kind}", nameof(letter));

    /// <summary>A complete HTML document (UTF-8, print CSS for the form's paper size). User input is escaped.</summary>
    public string RenderHtml(LetterData letter) => RenderHtml(letter, qrImage: true);

    /// <summary>
    /// The HTML, with the QR code's PNG image only when a browser will show it: the text and PDF layouts draw the QR
    /// from its payload (div.qr data-payload), so encoding a PNG for them was wasted (about 1 ms a letter).
    /// </summary>
    private string RenderHtml(LetterData letter, bool qrImage)
    {
        var rules = RuleSetOf(letter);
        var form = FormOf(letter, rules);
        var template = compiled.GetValue(rules, static _ => new()).GetOrAdd(letter.Kind, (_, args) => Compile(args.rules, args.letter), (rules, letter));
        LetterMetrics.Record(rules, form);
        return WithoutControlCharacters(template(LetterViews.Build(letter, rules, form, qrImage)));
    }

    /// <summary>Control characters pasted into user input are not allowed in HTML (nor XML): they print as spaces.</summary>
    private static string WithoutControlCharacters(string html)
    {
        if (!html.AsSpan().ContainsAny(ControlCharacters))
        {
            return html;
        }

        return string.Create(html.Length, html, static (buffer, source) =>
        {
            source.AsSpan().CopyTo(buffer);
            int k;
            while ((k = buffer.IndexOfAny(ControlCharacters)) >= 0)
            {
                buffer[k] = ' ';
            }
        });
    }

    /// <summary>Plain text of the letter, one line per paragraph (CLI and JSON output).</summary>
    public string RenderText(LetterData letter) => TextLayoutWriter.Write(XhtmlLayoutReader.Read(RenderHtml(letter, qrImage: false)));

    /// <summary>The letter as a PDF document (A5; the tracking book on A4 landscape), fonts embedded.</summary>
    public byte[] RenderPdf(LetterData letter) => PdfLayoutWriter.Write(XhtmlLayoutReader.Read(RenderHtml(letter, qrImage: false)), letter.IssuedAt);

    private HandlebarsTemplate<object, object> Compile(RuleSet rules, LetterData letter)
    {
        var name = letter.TemplateName;
        var source = Load($"{name}.{rules.Id}.hbs", rules.LetterTemplates.GetValueOrDefault(name)) ?? Load($"{name}.hbs")
            ?? throw new LetterTemplateException($"no letter template for {letter.Kind} ({name}.hbs)");
        try
        {
            return handlebars.Compile(source);
        }
        catch (HandlebarsException ex)
        {
            throw new LetterTemplateException($"letter template {name}.hbs does not compile: {ex.Message}", ex);
        }
    }

    /// <summary>A template by file name: the province's directory first, then <paramref name="supplied"/> (a rule set's own), then the embedded one.</summary>
    private string? Load(string fileName, string? supplied = null)
    {
        if (overrideDirectory is not null)
        {
            var path = Path.Combine(overrideDirectory, fileName);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
        }

        if (supplied is not null)
        {
            return supplied;
        }

        using var stream = typeof(LetterRenderer).Assembly.GetManifestResourceStream($"Templates/{fileName}");
        if (stream is null)
        {
            return null;
        }

        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
