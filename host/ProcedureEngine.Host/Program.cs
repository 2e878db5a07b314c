using System.CommandLine;
using ProcedureEngine.Host.Cli;

Console.OutputEncoding = Encoding.UTF8;

// Each verb lives in its own file under Cli/ and contributes one Command.
var root = new RootCommand("ProcedureEngine: one-stop (một cửa) administrative procedure workflow engine")
{
    VersionVerb.Create(),
    SimulateVerb.Create(),
    LettersVerb.Create(),
    ServeVerb.Create(),
    CalendarVerb.Create(),
    ValidateVerb.Create(),
    MigrateVerb.Create(),
    ProjectionsVerb.Create(),
    ReplayVerb.Create(),
    VerifyVerb.Create(),
    UsersVerb.Create(),
    SeedVerb.Create(),
    BackupVerb.CreateBackup(),
    BackupVerb.CreateRestore(),
    OpenApiVerb.Create(),
    NotificationsVerb.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
