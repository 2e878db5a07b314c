using System.Text.Json;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Dossiers.Tests.Support;

/// <summary>Structural comparison of states (records holding immutable arrays compare those by reference).</summary>
internal static class StateJson
{
    private static readonly JsonSerializerOptions Options = new(DossierEventSerializer.Options)
    {
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static string Of(DossierState state) => JsonSerializer.Serialize(state, Options);
}
