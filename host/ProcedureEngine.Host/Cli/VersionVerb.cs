using System.CommandLine;
using System.Reflection;

namespace ProcedureEngine.Host.Cli;

/// <summary>`procedure-engine about`: prints the build and the contract versions it implements.</summary>
internal static class VersionVerb
{
    public static Command Create()
    {
        var command = new Command("about", "Print the engine version and the contract versions it implements");
        command.SetAction(_ =>
        {
            var version = typeof(VersionVerb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev";
            Console.WriteLine($"procedure-engine {version}; definition format v1; interfaces v1");
            return 0;
        });
        return command;
    }
}
