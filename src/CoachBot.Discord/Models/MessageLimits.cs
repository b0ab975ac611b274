
namespace CoachBot.Discord.Models;

/// <summary>
/// Discord's message limits (docs: resources/message, components/reference) and helpers that make content fit:
/// text is shortened at a character boundary with an ellipsis, long content is split, extra embeds/rows are dropped.
/// </summary>
public static class MessageLimits
{
    public const int Content = 2000;
    public const int EmbedsPerMessage = 10;
    public const int EmbedTitle = 256;
    public const int EmbedDescription = 4096;
    public const int EmbedFields = 25;
    public const int EmbedFieldName = 256;
    public const int EmbedFieldValue = 1024;
    public const int EmbedFooterText = 2048;
    public const int EmbedAuthorName = 256;
    public const int EmbedTotal = 6000;
    public const int ActionRows = 5;
    public const int ButtonsPerRow = 5;
    public const int CustomId = 100;
    public const int ButtonLabel = 80;
    public const int AutocompleteChoices = 25;
    public const int ChoiceName = 100;
    public const int ChoiceValue = 100;
    public const int ModalTitle = 45;
    public const int ModalComponents = 5;
    public const int Nonce = 25;

    /// <summary>Files one message may carry.</summary>
    public const int FilesPerMessage = 10;

    /// <summary>
    /// Bytes of all files of one message together: Discord's limit for a bot in a server without boosts, the lowest it
    /// applies, so an upload this client accepts is accepted everywhere.
    /// </summary>
    public const int UploadBytes = 10 * 1024 * 1024;

    /// <summary>Characters of an attachment's description (its alt text).</summary>
    public const int AttachmentDescription = 1024;

    /// <summary>
    /// Throws, saying what to change, when <paramref name="files"/> cannot go with one message: too many, too large
    /// together, or a file name that <c>attachment://</c> cannot name (letters, digits, '.', '-' and '_' only). Checked
    /// before anything is sent, so a message never half-arrives.
    /// </summary>
    public static void ValidateFiles(IReadOnlyList<MessageFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count > FilesPerMessage)
        {
            throw new ArgumentException($"A message may carry at most {FilesPerMessage} files; this one has {files.Count}.", nameof(files));
        }

        long total = 0;
        foreach (var file in files)
        {
            if (file.FileName.Length is 0 or > 100 || !file.FileName.All(character => char.IsAsciiLetterOrDigit(character) || character is '.' or '-' or '_'))
            {
                throw new ArgumentException(
                    $"The file name '{Truncate(file.FileName, 40)}' cannot be uploaded: use 1 to 100 letters, digits, '.', '-' or '_', so attachment:// can name it.", nameof(files));
            }

            total += file.Content.Length;
        }

        if (total > UploadBytes)
        {
            throw new ArgumentException($"The files of one message may have {UploadBytes} bytes together; these have {total}.", nameof(files));
        }
    }

    private const string Ellipsis = "…";

    /// <summary>Shortens <paramref name="text"/> to at most <paramref name="maxLength"/> UTF-16 units, ending in "…", never splitting a surrogate pair.</summary>
    public static string Truncate(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);
        if (text.Length <= maxLength)
        {
            return text;
        }

        var cut = SafeCut(text, maxLength - Ellipsis.Length);
        return text[..cut].TrimEnd() + Ellipsis;
    }

    /// <summary>Splits content into chunks of at most <paramref name="maxLength"/>, preferring line breaks, then spaces.</summary>
    public static IReadOnlyList<string> SplitContent(string content, int maxLength = Content)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        // Walks the text by offset: cutting the rest off as a new string each time made a /group of 10,000 members
        // (1.5 MB, 750 chunks) copy the remainder 750 times, over a second of CPU for one answer.
        var chunks = new List<string>();
        var start = 0;
        while (content.Length - start > maxLength)
        {
            var rest = content.AsSpan(start);

            // Never split a surrogate pair (an emoji would become an invalid character).
            var window = rest[..(char.IsHighSurrogate(rest[maxLength - 1]) ? maxLength - 1 : maxLength)];
            var cut = window.LastIndexOf('\n');
            if (cut < maxLength / 2)
            {
                cut = window.LastIndexOf(' ');
            }

            if (cut < maxLength / 2)
            {
                cut = window.Length;
            }

            // A cut right after leading blanks leaves nothing: Discord refuses an empty message, so there is no chunk.
            if (rest[..cut].TrimEnd() is { IsEmpty: false } chunk)
            {
                chunks.Add(chunk.ToString());
            }

            start += cut;
            while (start < content.Length && content[start] is '\n' or ' ')
            {
                start++;
            }
        }

        if (start < content.Length || chunks.Count == 0)
        {
            chunks.Add(content[start..]);
        }

        return chunks;
    }

    /// <summary>The characters Discord counts towards the 6000 total of one embed (trimmed, as Discord counts).</summary>
    public static int EmbedTextLength(Embed embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        var length = Count(embed.Title) + Count(embed.Description) + Count(embed.Footer?.Text) + Count(embed.Author?.Name);
        foreach (var field in embed.Fields ?? [])
        {
            length += Count(field.Name) + Count(field.Value);
        }

        return length;
    }

    /// <summary>Truncates every text of an embed to its own limit and keeps at most 25 fields.</summary>
    public static Embed FitEmbed(Embed embed)
    {
        ArgumentNullException.ThrowIfNull(embed);
        return embed with
        {
            Title = TruncateOrNull(embed.Title, EmbedTitle),
            Description = TruncateOrNull(embed.Description, EmbedDescription),
            Footer = embed.Footer is null ? null : embed.Footer with { Text = Truncate(embed.Footer.Text, EmbedFooterText) },
            Author = embed.Author is null ? null : embed.Author with { Name = Truncate(embed.Author.Name, EmbedAuthorName) },
            Fields = embed.Fields?.Take(EmbedFields)
                .Select(f => f with { Name = Truncate(f.Name, EmbedFieldName), Value = Truncate(f.Value, EmbedFieldValue) })
                .ToList(),
        };
    }

    /// <summary>
    /// Makes a list of embeds fit one message: at most 10, each within its limits, and the 6000-character total
    /// respected by shortening descriptions and then dropping trailing fields and embeds.
    /// </summary>
    public static IReadOnlyList<Embed> FitEmbeds(IEnumerable<Embed> embeds)
    {
        ArgumentNullException.ThrowIfNull(embeds);
        var fitted = embeds.Take(EmbedsPerMessage).Select(FitEmbed).ToList();
        var total = fitted.Sum(EmbedTextLength);
        for (var i = fitted.Count - 1; i >= 0 && total > EmbedTotal; i--)
        {
            var embed = fitted[i];
            while (total > EmbedTotal && embed.Fields is { Count: > 0 } fields)
            {
                var last = fields[^1];
                total -= Count(last.Name) + Count(last.Value);
                embed = embed with { Fields = fields.Take(fields.Count - 1).ToList() };
            }

            if (total > EmbedTotal && embed.Description is { Length: > 0 } description)
            {
                var keep = Count(description) - (total - EmbedTotal);
                var shorter = keep >= 2 ? Truncate(description.Trim(), keep) : null;
                total -= Count(description) - Count(shorter);
                embed = embed with { Description = shorter };
            }

            fitted[i] = embed;
            if (total > EmbedTotal && i > 0)
            {
                total -= EmbedTextLength(embed);
                fitted.RemoveAt(i);
            }
        }

        return fitted;
    }

    /// <summary>
    /// Keeps at most 5 action rows of at most 5 buttons, shortening labels to 80 characters.
    /// A custom_id over 100 characters is a programming error (it carries state) and throws.
    /// </summary>
    public static IReadOnlyList<MessageComponent> FitComponents(IEnumerable<MessageComponent> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Take(ActionRows)
            .Select(row => row with { Components = row.Components?.Take(ButtonsPerRow).Select(FitComponent).ToList() })
            .ToList();
    }

    /// <summary>Makes a channel message fit: content split is the caller's choice, so here content is truncated.</summary>
    public static MessageCreate Fit(MessageCreate message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message with
        {
            Content = TruncateOrNull(message.Content, Content),
            Embeds = message.Embeds is null ? null : FitEmbeds(message.Embeds),
            Components = message.Components is null ? null : FitComponents(message.Components),
            Nonce = message.Nonce is { Length: > Nonce } ? throw new ArgumentException($"A nonce may have at most {Nonce} characters.", nameof(message)) : message.Nonce,
        };
    }

    /// <summary>Makes an interaction reply fit (content, embeds, components).</summary>
    public static InteractionMessage Fit(InteractionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message with
        {
            Content = TruncateOrNull(message.Content, Content),
            Embeds = message.Embeds is null ? null : FitEmbeds(message.Embeds),
            Components = message.Components is null ? null : FitComponents(message.Components),
        };
    }

    /// <summary>At most 25 suggestions, names and string values shortened to 100 characters.</summary>
    public static IReadOnlyList<ApplicationCommandOptionChoice> FitChoices(IEnumerable<ApplicationCommandOptionChoice> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return choices.Take(AutocompleteChoices)
            .Select(c => c with
            {
                Name = Truncate(c.Name, ChoiceName),
                Value = c.Value.ValueKind == System.Text.Json.JsonValueKind.String && c.Value.GetString() is { Length: > ChoiceValue }
                    ? throw new ArgumentException($"A choice value may have at most {ChoiceValue} characters; it is what the bot receives back.", nameof(choices))
                    : c.Value,
            })
            .ToList();
    }

    private static MessageComponent FitComponent(MessageComponent component)
    {
        if (component.CustomId is { Length: > CustomId } id)
        {
            throw new ArgumentException($"custom_id '{id[..20]}…' has {id.Length} characters; Discord allows {CustomId}.", nameof(component));
        }

        return component with { Label = TruncateOrNull(component.Label, ButtonLabel) };
    }

    private static string? TruncateOrNull(string? text, int maxLength) => text is null ? null : Truncate(text, maxLength);

    private static int Count(string? text) => text?.Trim().Length ?? 0;

    private static int SafeCut(string text, int length)
    {
        // Never split a surrogate pair (an emoji would become an invalid character).
        var cut = Math.Min(length, text.Length);
        if (cut > 0 && cut < text.Length && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return cut;
    }
}
