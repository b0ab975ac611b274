using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace CoachBot.Discord.Tests.Support;

/// <summary>An HttpMessageHandler answering from a script, recording each request as it is sent.</summary>
internal sealed class StubHttpHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, Task<HttpResponseMessage>>> _script = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConcurrentQueue<(HttpMethod Method, string Path, string? Body, DateTimeOffset At)> Sent { get; } = new();

    /// <summary>The clock whose time is recorded with each request.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The answer when the script is empty.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage> Default { get; set; } = _ => Json(HttpStatusCode.OK, """{"id":"1","channel_id":"2"}""");

    public void Enqueue(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) => _script.Enqueue(answer);

    public void Enqueue(HttpResponseMessage response) => _script.Enqueue(_ => Task.FromResult(response));

    public static HttpResponseMessage Json(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    /// <summary>Completes when at least <paramref name="count"/> requests were sent.</summary>
    public async Task WaitForSentAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            Task next;
            lock (_lock)
            {
                next = _sent.Task;
            }

            if (Sent.Count >= count)
            {
                return;
            }

            await next.WaitAsync(timeout.Token);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Sent.Enqueue((request.Method, request.RequestUri!.AbsolutePath, body, Clock.GetUtcNow()));
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _sent;
            _sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
        return _script.TryDequeue(out var answer) ? await answer(request) : Default(request);
    }
}
