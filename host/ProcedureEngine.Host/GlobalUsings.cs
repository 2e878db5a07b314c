// Namespaces most of the host's files read (the CLI verbs and the web endpoints alike).
global using System.Collections.Immutable;
global using System.Globalization;
global using System.Security.Claims;
global using System.Text;
global using System.Text.Json;
global using ProcedureEngine.Dossiers.Persistence;
global using ProcedureEngine.Host.Web.Definitions;
global using ProcedureEngine.Host.Web.Dossiers;
global using ProcedureEngine.Host.Web.Errors;
global using ProcedureEngine.Host.Web.Security;
