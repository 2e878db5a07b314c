namespace ProcedureEngine.Definitions.Tests;

/// <summary>Locates the repository and the test fixtures from the test's output folder.</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Fixtures => Path.Combine(RepoRoot, "tests", "ProcedureEngine.Definitions.Tests", "Fixtures");

    public static string Broken => Path.Combine(RepoRoot, "tests", "ProcedureEngine.Definitions.Tests", "Broken");

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(Fixtures, name));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("ProcedureEngine.sln not found above " + AppContext.BaseDirectory);
    }
}
