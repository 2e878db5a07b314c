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
global using ProcedureEngine.Calendar;
global using ProcedureEngine.Definitions;
global using ProcedureEngine.Definitions.Model;
global using ProcedureEngine.Dossiers;
global using ProcedureEngine.Dossiers.Commands;
global using ProcedureEngine.Dossiers.Events;
global using ProcedureEngine.Dossiers.State;
global using ProcedureEngine.EventStore;
global using ProcedureEngine.Host.Simulation;

// Both the decider and the store name who acted "Actor"; in the host it means the decider's (the store's is
// written ProcedureEngine.EventStore.Actor where a file needs it).
global using Actor = ProcedureEngine.Dossiers.Events.Actor;
