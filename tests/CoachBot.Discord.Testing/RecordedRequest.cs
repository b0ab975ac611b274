namespace CoachBot.Discord.Testing;

/// <summary>A REST request the fake received. <see cref="Path"/> is relative to /api/v10.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, string Template, int Status)
{
    /// <summary>Files of a multipart upload (<see cref="Body"/> is then its payload_json).</summary>
    public IReadOnlyList<RecordedFile> Files { get; init; } = [];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A file part of a multipart request: form name (files[n]), file name, content type and the bytes received.</summary>
public sealed record RecordedFile(string Name, string FileName, string ContentType, byte[] Bytes)
{
    /// <summary>The bytes as UTF-8 text (for JSON and text uploads).</summary>
    public string Content => System.Text.Encoding.UTF8.GetString(Bytes);
}

/// <summary>A scripted answer for the next matching requests (e.g. a 500, a 50007, an HTML 429).</summary>
public sealed record ScriptedResponse(string Method, string PathPrefix, int Status, string Body, string ContentType = "application/json")
{
    public int Times { get; init; } = 1;
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}

/// <summary>An interaction the fake delivered and what the bot answered.</summary>
public sealed class FakeInteraction
{
    internal FakeInteraction(string id, string token, long createdAt)
    {
        Id = id;
        Token = token;
        CreatedAt = createdAt;
    }

    public string Id { get; }
    public string Token { get; }
    internal long CreatedAt { get; }

    /// <summary>
    /// The interaction's type as delivered (1 ping, 2 command, 3 component, 4 autocomplete, 5 modal submit): the fake
    /// refuses a callback type that does not fit it, as Discord does.
    /// </summary>
    public int Type { get; internal set; } = 2;

    /// <summary>True for a component, or a modal submitted from a component's message (these may be answered with 6 or 7).</summary>
    public bool FromMessage { get; internal set; }

    /// <summary>The callback Discord accepted, as a one-item list (empty until then): a refused callback is not an answer.</summary>
    public List<string> Callbacks { get; } = [];

    /// <summary>Callback bodies Discord refused (late, second, wrong type, invalid body), in order.</summary>
    public List<string> RefusedCallbacks { get; } = [];

    public int? AcknowledgedWithType { get; internal set; }

    /// <summary>The callback Discord accepted (the initial response), if any.</summary>
    public string? AcceptedCallback { get; internal set; }
    public List<string> OriginalEdits { get; } = [];

    /// <summary>True once the bot deleted the original response (e.g. a public "thinking…" replaced by a private follow-up).</summary>
    public bool OriginalDeleted { get; internal set; }
    public List<string> Followups { get; } = [];

    /// <summary>
    /// The message texts the bot showed for this interaction, in order: callback data (types 4 and 7), edits of
    /// the original and follow-ups. Deferrals and empty contents are skipped.
    /// </summary>
    public IReadOnlyList<string> ReplyContents
    {
        get
        {
            lock (this)
            {
                return new[] { AcceptedCallback }.OfType<string>().Select(c => System.Text.Json.Nodes.JsonNode.Parse(c)?["data"])
                    .Concat(OriginalEdits.Concat(Followups).Select(b => System.Text.Json.Nodes.JsonNode.Parse(b)))
                    .Select(n => n?["content"]?.GetValue<string>())
                    .Where(t => !string.IsNullOrEmpty(t))
                    .Select(t => t!)
                    .ToList();
            }
        }
    }
}

/// <summary>A message created on a channel.</summary>
public sealed record FakeMessage(string Id, string ChannelId, string Body);
