using System.Buffers;
using System.Collections.Concurrent;
using HandlebarsDotNet;
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
/// Templates are embedded resources (<c>Templates/{form}.hbs</c>, or <c>{form}.{ruleSet}.hbs</c> where a
/// rule set words a form differently); a province may override any of them with files of the same
/// names in a directory of its own. Thread-safe; compiled templates are cached.
/// </summary>
public sealed class LetterRenderer
{
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create(
        [.. Enumerable.Range(0, 32).Where(c => c is not ('\t' or '\n' or '\r')).Select(c => (char)c)]);

    private static readonly Lazy<LetterRenderer> DefaultInstance = new(() => new LetterRenderer());

    private readonly IHandlebars handlebars;
    private readonly string? overrideDirectory;
    private readonly ConcurrentDictionary<(string RuleSet, LetterKind Kind), HandlebarsTemplate<object, object>> compiled = new();

    /// <param name="templateDirectory">Optional folder whose <c>*.hbs</c> files replace the built-in templates and partials of the same name.</param>
    public LetterRenderer(string? templateDirectory = null)
    {
        overrideDirectory = templateDirectory;
        if (overrideDirectory is not null && !Directory.Exists(overrideDirectory))
        {
            throw new DirectoryNotFoundException($"letter template folder '{overrideDirectory}' does not exist");
        }

        handlebars = Handlebars.Create(new HandlebarsConfiguration { ThrowOnUnresolvedBindingExpression = false });
        foreach (var partial in new[] { "head", "heading", "code", "foot" })
        {
            handlebars.RegisterTemplate(partial, Load($"_{partial}.hbs") ?? throw new LetterTemplateException($"letter partial '_{partial}.hbs' is missing"));
        }
    }

    /// <summary>The renderer with the built-in templates.</summary>
    public static LetterRenderer Default => DefaultInstance.Value;

    /// <summary>The form of this letter under its rule set (number, title, paper).</summary>
    public static LetterFormInfo FormOf(LetterData letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return LetterCatalogue.Get(letter.RuleSetId, letter.Kind);
    }

    /// <summary>A complete HTML document (UTF-8, print CSS for the form's paper size). User input is escaped.</summary>
    public string RenderHtml(LetterData letter)
    {
        var form = FormOf(letter);
        var template = compiled.GetOrAdd((form.RuleSetId, form.Kind), key => Compile(key.RuleSet, key.Kind));
        LetterMetrics.Record(form);
        return WithoutControlCharacters(template(LetterViews.Build(letter, form)));
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
    public string RenderText(LetterData letter) => TextLayoutWriter.Write(XhtmlLayoutReader.Read(RenderHtml(letter)));

    /// <summary>The letter as a PDF document (A5; the tracking book on A4 landscape), fonts embedded.</summary>
    public byte[] RenderPdf(LetterData letter) => PdfLayoutWriter.Write(XhtmlLayoutReader.Read(RenderHtml(letter)), letter.IssuedAt);

    private HandlebarsTemplate<object, object> Compile(string ruleSet, LetterKind kind)
    {
        var name = LetterCatalogue.Slug(kind);
        var source = Load($"{name}.{ruleSet}.hbs") ?? Load($"{name}.hbs")
            ?? throw new LetterTemplateException($"no letter template for {kind} ({name}.hbs)");
        try
        {
            return handlebars.Compile(source);
        }
        catch (HandlebarsException ex)
        {
            throw new LetterTemplateException($"letter template {name}.hbs does not compile: {ex.Message}", ex);
        }
    }

    private string? Load(string fileName)
    {
        if (overrideDirectory is not null)
        {
            var path = Path.Combine(overrideDirectory, fileName);
            if (File.Exists(path))
            {
                return File.ReadAllText(path);
            }
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
