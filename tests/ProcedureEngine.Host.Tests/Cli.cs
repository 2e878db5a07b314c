using System.Diagnostics;
using System.Text;

namespace ProcedureEngine.Host.Tests;

/// <summary>Runs the real `procedure-engine` executable, as an administrator would from a shell.</summary>
internal static class Cli
{
    public static (int Exit, string Output, string Error) Run(string workingDirectory, IEnumerable<string> args, int timeoutSeconds = 120)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "procedure-engine.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        // Only the arguments decide the store: a developer's environment must not redirect the tests.
        info.Environment.Remove("ConnectionStrings__Events");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit(timeoutSeconds * 1000).ShouldBeTrue($"procedure-engine did not finish within {timeoutSeconds} s");
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>The repository the tests run from (definitions/, samples/).</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("repository root (with ProcedureEngine.sln) not found");
    }
}
