namespace CoachBot.Discord.Models;

public enum ComponentType
{
    ActionRow = 1,
    Button = 2,
    StringSelect = 3,
    TextInput = 4,
    UserSelect = 5,
    RoleSelect = 6,
    MentionableSelect = 7,
    ChannelSelect = 8,
    Label = 18,
}

public enum ButtonStyle
{
    Primary = 1,
    Secondary = 2,
    Success = 3,
    Danger = 4,
    Link = 5,
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Names mirror Discord's documented text input styles.")]
public enum TextInputStyle
{
    Short = 1,
    Paragraph = 2,
}

/// <summary>
/// A message or modal component. One flat record covers action rows, buttons, text inputs, selects and labels
/// (only the fields of the given <see cref="Type"/> are set); build them with the static factories.
/// </summary>
public sealed record MessageComponent
{
    public ComponentType Type { get; init; }
    public int? Id { get; init; }
    public string? CustomId { get; init; }
    public int? Style { get; init; }
    public string? Label { get; init; }
    public string? Url { get; init; }
    public bool? Disabled { get; init; }
    public string? Placeholder { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public bool? Required { get; init; }
    public string? Value { get; init; }
    public IReadOnlyList<string>? Values { get; init; }
    public IReadOnlyList<SelectOption>? Options { get; init; }
    public int? MinValues { get; init; }
    public int? MaxValues { get; init; }

    /// <summary>Label (type 18): the text under the label.</summary>
    public string? Description { get; init; }

    /// <summary>Action row children.</summary>
    public IReadOnlyList<MessageComponent>? Components { get; init; }

    /// <summary>Label (type 18) child.</summary>
    public MessageComponent? Component { get; init; }

    public static MessageComponent ActionRow(params IReadOnlyList<MessageComponent> children) =>
        new() { Type = ComponentType.ActionRow, Components = children };

    public static MessageComponent Button(ButtonStyle style, string label, string customId, bool disabled = false) =>
        new() { Type = ComponentType.Button, Style = (int)style, Label = label, CustomId = customId, Disabled = disabled ? true : null };

    public static MessageComponent LinkButton(string label, string url) =>
        new() { Type = ComponentType.Button, Style = (int)ButtonStyle.Link, Label = label, Url = url };

    public static MessageComponent TextInput(string customId, TextInputStyle style, bool required = true, int? minLength = null, int? maxLength = null, string? placeholder = null, string? value = null) =>
        new() { Type = ComponentType.TextInput, CustomId = customId, Style = (int)style, Required = required, MinLength = minLength, MaxLength = maxLength, Placeholder = placeholder, Value = value };

    /// <summary>A modal label (type 18) wrapping one input; the modal's recommended layout.</summary>
    public static MessageComponent LabelFor(string label, MessageComponent component, string? description = null) =>
        new() { Type = ComponentType.Label, Label = label, Description = description, Component = component };
}

public sealed record SelectOption(string Label, string Value)
{
    public string? Description { get; init; }
    public bool? Default { get; init; }
}
