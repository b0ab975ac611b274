using System.Security.Cryptography;
using System.Text;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using Microsoft.Extensions.Options;

namespace CoachBot.Dashboard;

/// <summary>
/// One-time sign-in links: 256 random bits in the link, only their SHA-256 stored, valid for <see cref="Lifetime"/>.
/// The token is never logged; the link is shown only to the organiser who asked.
/// </summary>
internal sealed class DashboardLinks(IDashboardStore store, IOptions<DashboardOptions> options, DashboardServer server) : IDashboardLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public const string SignInPath = "signin/";

    public async Task<DashboardLink?> CreateAsync(MemberRef organiser, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organiser);
        if (!options.Value.IsEnabled)
        {
            return null;
        }

        // Old links are swept here rather than by a job of their own: links are only ever made here, a few a day.
        await store.DeleteExpiredSignInLinksAsync(now - TimeSpan.FromDays(1), cancellationToken);
        var token = NewToken();
        var expiresAt = now + Lifetime;
        await store.SaveSignInLinkAsync(new SignInLink(Hash(token), organiser.Platform, organiser.Scope, organiser.UserId, now, expiresAt), cancellationToken);
        return new DashboardLink(new Uri(options.Value.PublicBase(server.BoundAddress), SignInPath + token), expiresAt);
    }

    /// <summary>256 random bits as 43 characters of base64url: the secret part of a sign-in or calendar link.</summary>
    public static string NewToken() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>SHA-256 of the token, lowercase hex: what the store keeps and looks links up by.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether <paramref name="token"/> could be one of ours (43 characters of base64url), before it is hashed and looked up.</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(character => char.IsAsciiLetterOrDigit(character) || character is '-' or '_');

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
