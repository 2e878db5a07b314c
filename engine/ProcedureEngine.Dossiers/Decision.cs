using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.State;

namespace ProcedureEngine.Dossiers;

/// <summary>
/// What the decider made of a command or a tick: the events to append and the state after them, or a
/// rejection (no events, state unchanged).
/// </summary>
public sealed record Decision(ImmutableArray<DossierEvent> Events, DossierState State, Rejection? Rejection)
{
    public bool IsRejected => Rejection is not null;

    internal static Decision Reject(DossierState state, Rejection rejection) => new([], state, rejection);
}
