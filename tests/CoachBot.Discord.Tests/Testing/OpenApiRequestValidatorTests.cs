using CoachBot.Discord.Testing;

namespace CoachBot.Discord.Tests.Testing;

public sealed class OpenApiRequestValidatorTests
{
    private readonly OpenApiRequestValidator _validator = OpenApiRequestValidator.Shared;

    [Theory]
    [InlineData("POST", "/channels/1/messages", """{"content":"hi","allowed_mentions":{"parse":[]},"nonce":"n","enforce_nonce":true}""")]
    [InlineData("POST", "/users/@me/channels", """{"recipient_id":"82198898841029460"}""")]
    [InlineData("POST", "/interactions/1/tok/callback", """{"type":5,"data":{"flags":64}}""")]
    [InlineData("POST", "/interactions/1/tok/callback", """{"type":8,"data":{"choices":[{"name":"AI safety","value":"ai-safety"}]}}""")]
    [InlineData("PATCH", "/webhooks/1/tok/messages/@original", """{"content":"done","allowed_mentions":{"parse":[]}}""")]
    [InlineData("PUT", "/applications/1/commands", """[{"name":"coach","type":1,"description":"Organiser tools","default_member_permissions":"32","contexts":[0]}]""")]
    public void Validate_WhenBodyIsValid_ReportsNothing(string method, string path, string body)
    {
        var problems = _validator.Validate(method, path, body);

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("POST", "/users/@me/channels", """{"recipient_id":82198898841029460}""", "OpenAPI")]
    [InlineData("POST", "/interactions/1/tok/callback", """{"type":3}""", "OpenAPI")]
    [InlineData("POST", "/channels/1/messages", """{"components":[{"type":1,"components":[{"type":2,"style":1,"label":"x","custom_id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}]}]}""", "OpenAPI")]
    [InlineData("PUT", "/applications/1/commands", """[{"name":"Coach","type":1,"description":"x"}]""", "lower-case")]
    [InlineData("PUT", "/applications/1/commands", """[{"name":"coach","type":1,"description":"x","default_member_permissions":32}]""", "must be a string")]
    [InlineData("PUT", "/applications/1/commands", """[{"name":"coach","type":1,"description":"x","options":[{"type":3,"name":"p","description":"p","choices":[{"name":"n","value":"vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv"}]}]}]""", "100")]
    public void Validate_WhenBodyBreaksARule_ReportsIt(string method, string path, string body, string expected)
    {
        var problems = _validator.Validate(method, path, body);

        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WhenContentExceeds2000_ReportsTheBotLimitTheSpecLacks()
    {
        var body = $$"""{"content":"{{new string('a', 2001)}}"}""";

        var problems = _validator.Validate("POST", "/channels/1/messages", body);

        Assert.Contains(problems, p => p.Contains("2000", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WhenSixActionRows_ReportsTheRowLimit()
    {
        var row = """{"type":1,"components":[{"type":2,"style":1,"label":"x","custom_id":"a"}]}""";
        var body = $$"""{"content":"x","components":[{{string.Join(",", Enumerable.Repeat(row, 6))}}]}""";

        var problems = _validator.Validate("POST", "/channels/1/messages", body);

        Assert.Contains(problems, p => p.Contains("action rows", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_WhenEmbedsExceed6000InTotal_ReportsIt()
    {
        var embed = $$"""{"description":"{{new string('d', 4000)}}"}""";
        var body = $$"""{"embeds":[{{embed}},{{embed}}]}""";

        var problems = _validator.Validate("POST", "/channels/1/messages", body);

        Assert.Contains(problems, p => p.Contains("6000", StringComparison.Ordinal));
    }
}
