namespace ProcedureEngine.Dossiers;

/// <summary>
/// The pure dossier decider: <see cref="Decide"/> turns a command into events (or a rejection),
/// <see cref="Evolve"/> folds an event into the state, <see cref="Tick"/> fires the time-driven rules.
/// One code path for the server, `simulate`, replay and the designer preview. No I/O, no clock.
/// See docs/dossier-lifecycle.md for the rules.
/// </summary>
public static partial class Decider
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>Decides a command against the dossier's state. Never throws on a bad command: it is rejected.</summary>
    public static Decision Decide(DossierCommand command, DossierState state, DossierContext context)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(context);

        if (state.LastEventAt is { } last && command.At < last)
        {
            return Decision.Reject(state, new Rejection(
                RejectionCodes.TimeGoesBackwards,
                $"Thời điểm {Local(command.At, context)} sớm hơn sự kiện gần nhất của hồ sơ ({Local(last, context)}).",
                $"{command.At:O} is before the dossier's last event ({last:O})."));
        }

        if (context.Plan.Error is { } error)
        {
            return Decision.Reject(state, new Rejection(RejectionCodes.DefinitionInvalid, $"Quy trình không hợp lệ: {error}.", $"The procedure definition is invalid: {error}."));
        }

        if (state.ProcedureCode is not null &&
            (state.ProcedureCode != context.Definition.Code || state.ProcedureVersion != context.Definition.Version))
        {
            return Decision.Reject(state, new Rejection(
                RejectionCodes.DefinitionMismatch,
                $"Hồ sơ được giải quyết theo thủ tục {state.ProcedureCode} phiên bản {state.ProcedureVersion}, không phải {context.Definition.Code} phiên bản {context.Definition.Version}.",
                $"The dossier runs on {state.ProcedureCode} v{state.ProcedureVersion}, not {context.Definition.Code} v{context.Definition.Version}."));
        }

        var run = new Run(state, context);
        var rejection = command switch
        {
            SubmitOnline c => Submit(run, c),
            ReceiveDossier c => Receive(run, c),
            RefuseDossier c => Refuse(run, c),
            CompleteStep c => Complete(run, c),
            RequestSupplement c => RequestSupplement(run, c),
            ProvideSupplement c => ProvideSupplement(run, c),
            ReturnResult c => Return(run, c),
            WithdrawDossier c => Withdraw(run, c),
            EvaluateDossier c => Evaluate(run, c),
            IssueApology c => Apologize(run, c),
            ApplyCalendarChange c => Replan(run, c),
            _ => throw new InvalidOperationException($"unhandled command {command.GetType().Name}"),
        };
        return rejection is null ? run.ToDecision() : Decision.Reject(state, rejection);
    }

    internal static string Local(DateTimeOffset at, DossierContext context) =>
        at.ToOffset(context.Calendar.UtcOffset).ToString("HH:mm 'ngày' dd/MM/yyyy", Vi);

    /// <summary>Accumulates events, folding each into the running state so later checks see it.</summary>
    private sealed class Run(DossierState state, DossierContext context)
    {
        private ImmutableArray<DossierEvent>.Builder? _events;

        public DossierState State { get; private set; } = state;

        public DossierContext Context { get; } = context;

        public ProcedurePlan Plan => Context.Plan;

        public ProcedureDefinition Definition => Context.Definition;

        public IWorkingCalendar Calendar => Context.Calendar;

        public int Count => _events?.Count ?? 0;

        /// <summary>
        /// Records the event and folds it into the running state. The caller's state is copied once, on
        /// the first event; later events of the same decision are written into that private copy.
        /// </summary>
        public void Emit(DossierEvent e)
        {
            ArgumentNullException.ThrowIfNull(e);
            if (_events is null)
            {
                _events = ImmutableArray.CreateBuilder<DossierEvent>(4);
                State = State with { };
            }

            _events.Add(e);
            var folder = new Folder(State);
            folder.Apply(e);
            folder.Complete();
        }

        public Decision ToDecision() => new(_events?.ToImmutable() ?? [], State, null);
    }
}
