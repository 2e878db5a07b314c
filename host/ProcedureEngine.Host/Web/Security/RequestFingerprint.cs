using System.Security.Cryptography;

namespace ProcedureEngine.Host.Web.Security;

/// <summary>
/// The fingerprint of a request sent with an <c>Idempotency-Key</c>: SHA-256 of its method, path, user and body
/// (as the IETF Idempotency-Key draft and Stripe do). It is stored with the events the request caused, so that a
/// key that comes back with another body, another action or from another user is refused instead of being
/// answered with the first request's result.
/// </summary>
public static class RequestFingerprint
{
    private const string ItemKey = "pe.request-fingerprint";

    /// <summary>The prefix of a fingerprint where it is stored (the events' causation id).</summary>
    public const string Prefix = "request-sha256:";

    /// <summary>Hashes the body of every POST/PUT/PATCH that carries an Idempotency-Key (after authentication: the user is part of it).</summary>
    public static IApplicationBuilder UseRequestFingerprints(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Headers.ContainsKey("Idempotency-Key") && (HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method)))
            {
                request.EnableBuffering();
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var user = context.User.Identity?.IsAuthenticated == true ? context.User.UserId() : "";
                hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}\n{user}\n"));
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }

                request.Body.Position = 0;
                context.Items[ItemKey] = Prefix + Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            await next(context).ConfigureAwait(false);
        });

    /// <summary>The request's fingerprint, when it carries an Idempotency-Key.</summary>
    public static string? Of(HttpContext context) => context.Items.TryGetValue(ItemKey, out var v) ? v as string : null;
}

/// <summary>An Idempotency-Key already used for a different request (another body, action, path or user).</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : Exception($"Idempotency-Key '{key}' was already used for a different request (another body, action or user); use a new key for a new request")
{
    public string Key { get; } = key;
}
