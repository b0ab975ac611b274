using System.Text.RegularExpressions;
using CoachBot.TestSupport;

namespace CoachBot.Core.Tests.Architecture;

/// <summary>
/// Core's folders depend on each other one way only (Commands on Texts, Texts on Enrolment, never back), so a store or a
/// platform can be built against the lower folders alone. Read from the sources: every folder is a namespace, and the
/// build refuses unused usings (IDE0005), so a file's <c>using CoachBot.Core.X</c> lines are exactly what it uses.
/// </summary>
public sealed partial class FolderCycleTests
{
    private static readonly string CoreDirectory = Path.Combine(RepositoryRoot.Path, "src", "CoachBot.Core");

    [Fact]
    public void Cores_folders_depend_on_each_other_one_way_only()
    {
        var dependencies = FolderDependencies();
        // The map is read from the files; a wrong path would give an empty map and a test that passes on nothing.
        Assert.Contains("Storage", dependencies["Commands"]);

        var cycles = dependencies.Keys
            .Select(folder => PathBack(folder, dependencies))
            .OfType<IReadOnlyList<string>>()
            .Select(path => string.Join(" -> ", path))
            .ToList();
        Assert.True(cycles.Count == 0, "Core's folders depend on each other in a circle: " + string.Join("; ", cycles));
    }

    /// <summary>Each folder of Core and the other folders its files name (in usings or fully qualified).</summary>
    private static Dictionary<string, HashSet<string>> FolderDependencies()
    {
        var folders = Directory.GetDirectories(CoreDirectory)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj"))
            .ToHashSet(StringComparer.Ordinal);
        var dependencies = folders.ToDictionary(folder => folder, _ => new HashSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(CoreDirectory, folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (Match match in CoreNamespace().Matches(File.ReadAllText(file)))
                {
                    var used = match.Groups["folder"].Value;
                    if (used != folder && folders.Contains(used))
                    {
                        dependencies[folder].Add(used);
                    }
                }
            }
        }

        return dependencies;
    }

    /// <summary>A path of dependencies from <paramref name="start"/> back to itself, or null when there is none.</summary>
    private static List<string>? PathBack(string start, Dictionary<string, HashSet<string>> dependencies)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string> { start };
        return Walk(start) ? path : null;

        bool Walk(string folder)
        {
            foreach (var next in dependencies[folder].Order(StringComparer.Ordinal))
            {
                path.Add(next);
                if (next == start || (seen.Add(next) && Walk(next)))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
            }

            return false;
        }
    }

    [GeneratedRegex(@"\bCoachBot\.Core\.(?<folder>\w+)")]
    private static partial Regex CoreNamespace();
}
