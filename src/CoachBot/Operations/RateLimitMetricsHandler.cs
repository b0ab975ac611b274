using System.Net;

namespace CoachBot.Operations;

/// <summary>
/// Counts Discord's 429 answers on their way into the REST client, which waits them out itself: the Discord library
/// stays free of metrics, and the host sees every 429, including the ones a retry later turns into a success.
/// </summary>
internal sealed class RateLimitMetricsHandler(CoachBotMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // Discord docs (topics/rate-limits): X-RateLimit-Global is "true" when the whole bot is limited; an HTML 429
            // from Cloudflare carries no such header and counts per route.
            var global = response.Headers.TryGetValues("X-RateLimit-Global", out var values)
                && values.Any(value => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
            metrics.RecordRateLimited(global);
        }

        return response;
    }
}
