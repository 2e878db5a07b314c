// The namespaces the decider's partial files (Decider.*.cs, one per lifecycle area) all read.
global using System.Collections.Immutable;
global using System.Globalization;
global using ProcedureEngine.Calendar;
global using ProcedureEngine.Definitions.Model;
global using ProcedureEngine.Dossiers.Commands;
global using ProcedureEngine.Dossiers.Events;
global using ProcedureEngine.Dossiers.Rules;
global using ProcedureEngine.Dossiers.State;
