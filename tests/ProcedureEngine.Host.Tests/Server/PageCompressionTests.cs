using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace ProcedureEngine.Host.Tests.Server;

/// <summary>The front end's files travel compressed when the browser accepts it; the API's answers never do.</summary>
public sealed partial class PageCompressionTests(SqliteServerFixture server) : IClassFixture<SqliteServerFixture>
{
    private async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string path, string? encoding, string? user = null)
    {
        using var client = server.Client(user);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (encoding is not null)
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
        }

        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Decode(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decoder = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decoder.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public async Task Pages_and_scripts_come_compressed_to_a_browser_that_accepts_it_and_decode_to_the_same_bytes()
    {
        var (plainPage, plainHtml) = await GetAsync("/workspace/", null);
        plainPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        plainPage.Content.Headers.ContentEncoding.ShouldBeEmpty("a client that did not ask gets the file as it is");

        var (brPage, brHtml) = await GetAsync("/workspace/", "br");
        brPage.Content.Headers.ContentEncoding.ShouldBe(["br"]);
        Decode(brHtml, "br").ShouldBe(plainHtml);

        // The page's largest script: gzip for a browser that only knows gzip, at least halving what is sent.
        var html = System.Text.Encoding.UTF8.GetString(plainHtml);
        var script = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).First(s => s.StartsWith("/assets/", StringComparison.Ordinal));
        var (plainScript, plainBytes) = await GetAsync(script, null);
        plainScript.Content.Headers.ContentType!.MediaType.ShouldBe("text/javascript");
        var (gzScript, gzBytes) = await GetAsync(script, "gzip");
        gzScript.Content.Headers.ContentEncoding.ShouldBe(["gzip"]);
        gzScript.Headers.CacheControl!.ToString().ShouldContain("immutable", Case.Sensitive, "fingerprinted assets stay cached for good");
        Decode(gzBytes, "gzip").ShouldBe(plainBytes);
        gzBytes.Length.ShouldBeLessThan(plainBytes.Length / 2, $"{script}: {gzBytes.Length} of {plainBytes.Length} bytes");
    }

    [Fact]
    public async Task Api_answers_are_never_compressed_whatever_the_client_accepts()
    {
        var (response, _) = await GetAsync("/api/workspace/catalogue", "br", "cb-motcua-01");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentEncoding.ShouldBeEmpty("answers carry personal data and the caller's words: not compressed (BREACH)");
    }

    [GeneratedRegex("<script[^>]+src=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
