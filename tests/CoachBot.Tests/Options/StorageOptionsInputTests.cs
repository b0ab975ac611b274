using CoachBot.Options;

namespace CoachBot.Tests.Options;

/// <summary>Storage:Provider and the SQLite connection string as a careless operator types them: one sentence, never an exception.</summary>
public sealed class StorageOptionsInputTests
{
    [Theory]
    [InlineData("Postgres ")]
    [InlineData(" POSTGRES")]
    public void AProviderWithStraySpacesOrCapitals_IsAccepted(string provider) =>
        Assert.True(Validate(provider, "Host=db;Database=coachbot").Succeeded);

    [Theory]
    [InlineData("")]
    [InlineData("sqlite3")]
    [InlineData("pg")]
    public void AnUnknownProvider_IsOneSentenceNamingTheVariable(string provider) =>
        Assert.Equal(
            [$"Storage:Provider '{provider}' is not a storage provider; set Storage__Provider to sqlite (the default, one file) or postgres."],
            Validate(provider, "Data Source=data/coachbot.db").Failures);

    [Theory]
    [InlineData("Data Source=data/coachbot.db;Pooling=banana")]
    [InlineData("Data Source=data/coachbot.db;Default Timeout=soon")]
    [InlineData("Data Source=data/coachbot.db;Mode=Sideways")]
    public void AMistypedSqliteSetting_IsRefusedInOneSentence_NotAnException(string connectionString)
    {
        var result = Validate("sqlite", connectionString);

        Assert.True(result.Failed);
        Assert.Single(result.Failures!);
        Assert.Contains("ConnectionStrings__CoachBot", result.FailureMessage, StringComparison.Ordinal);
    }

    /// <summary>SQLite's Password is the database's encryption key: the refusal names the file, never the key.</summary>
    [Theory]
    [InlineData("Data Source=data/coachbot.db;Password=hunter2;Pooling=banana", "Password=…")]
    [InlineData("Data Source=data/coachbot.db; pwd = hunter2 ;Mode=Sideways", "pwd =…")]
    public void ARefusedSqliteSetting_DoesNotEchoItsPassword(string connectionString, string shown)
    {
        var sentence = Assert.Single(Validate("sqlite", connectionString).Failures!);

        Assert.DoesNotContain("hunter2", sentence, StringComparison.Ordinal);
        Assert.Contains("data/coachbot.db", sentence, StringComparison.Ordinal);
        Assert.Contains(shown, sentence, StringComparison.Ordinal);
    }

    /// <summary>A quoted password may hold a semicolon: none of it is shown, not even what follows the semicolon.</summary>
    [Theory]
    [InlineData("Data Source=data/coachbot.db;Password=\"hun;ter2\";Pooling=banana")]
    [InlineData("Data Source=data/coachbot.db;Password='hun;ter2';Pooling=banana")]
    [InlineData("Data Source=data/coachbot.db;Password=\"hun\"\";ter2\";Pooling=banana")]
    public void ARefusedSqliteSetting_DoesNotEchoAnyPartOfAQuotedPassword(string connectionString)
    {
        var sentence = Assert.Single(Validate("sqlite", connectionString).Failures!);

        Assert.DoesNotContain("hun", sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("ter2", sentence, StringComparison.Ordinal);
        Assert.Contains("Pooling=banana", sentence, StringComparison.Ordinal);
    }

    /// <summary>A long value cut for the sentence is never cut inside an emoji (a lone surrogate is not text).</summary>
    [Fact]
    public void ARefusedSqliteSetting_CutShort_KeepsEveryEmojiWhole()
    {
        var sentence = Assert.Single(Validate("sqlite", "Pooling=" + new string('x', 111) + string.Concat(Enumerable.Repeat("\U0001F600", 10))).Failures!);

        Assert.DoesNotContain(System.Text.Rune.ReplacementChar, sentence.EnumerateRunes());
        Assert.Contains("x…'", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void ARefusedSqliteSetting_IsQuotedBackShort()
    {
        var sentence = Assert.Single(Validate("sqlite", "Pooling=" + new string('x', 5000)).Failures!);

        Assert.True(sentence.Length < 400, sentence);
        Assert.Contains("ConnectionStrings__CoachBot", sentence, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(string provider, string connectionString) =>
        new StorageOptionsValidator().Validate(null, new StorageOptions { Provider = provider, CoachBot = connectionString });
}
