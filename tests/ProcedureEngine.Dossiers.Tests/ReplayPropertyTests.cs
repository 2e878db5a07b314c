using System.Collections.Immutable;
using FsCheck;
using FsCheck.Fluent;
using ProcedureEngine.Definitions.Model;
using ProcedureEngine.Dossiers.Commands;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Serialization;
using ProcedureEngine.Dossiers.State;
using ProcedureEngine.Dossiers.Tests.Support;

namespace ProcedureEngine.Dossiers.Tests;

/// <summary>
/// Generated command sequences (valid, invalid and out-of-order mixed) against both sample procedures:
/// nothing throws, a rejection appends nothing, and folding the events (also after a trip through the
/// serializer) gives exactly the live state.
/// </summary>
public class ReplayPropertyTests
{
    /// <summary>One generated move; interpreted against the current state so most moves are plausible.</summary>
    public sealed record Move(int Kind, int Step, bool RightAgency, int Docs, int Minutes, int Score);

    private static readonly Gen<Move> MoveGen =
        from kind in Gen.Frequency(
            (2, Gen.Constant(0)), // receive
            (1, Gen.Constant(1)), // refuse
            (8, Gen.Constant(2)), // complete
            (2, Gen.Constant(3)), // request supplement
            (2, Gen.Constant(4)), // supplement
            (2, Gen.Constant(5)), // return
            (1, Gen.Constant(6)), // withdraw
            (1, Gen.Constant(7)), // evaluate
            (1, Gen.Constant(8)), // apologize
            (4, Gen.Constant(9)), // tick
            (1, Gen.Constant(10))) // submit online
        from step in Gen.Choose(0, 11)
        from right in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false)))
        from docs in Gen.Choose(0, 63)
        from minutes in Gen.Frequency((1, Gen.Choose(-600, 0)), (8, Gen.Choose(0, 60 * 24 * 4)))
        from score in Gen.Choose(0, 6)
        select new Move(kind, step, right, docs, minutes, score);

    internal static readonly Arbitrary<Move[]> Sequences = Gen.ArrayOf(MoveGen).Resize(60).ToArbitrary();

    [Fact]
    public void Folding_the_events_of_any_command_sequence_reproduces_the_live_state()
    {
        foreach (var definition in new[] { Samples.LienThong12, Samples.Permit })
        {
            var context = new DossierContext(definition, Samples.Calendar);
            var property = Prop.ForAll(Sequences, moves => Holds(context, moves));
            Check.One(Config.QuickThrowOnFailure.WithMaxTest(250), property);
        }
    }

    [Fact]
    public void Deciding_and_folding_never_change_a_state_already_handed_out()
    {
        // The fold writes into a private copy of the state; every state a caller was given must stay as it was.
        var context = new DossierContext(Samples.LienThong12, Samples.Calendar);
        var property = Prop.ForAll(Sequences, moves =>
        {
            var handedOut = new List<(DossierState State, string Json)>();
            var state = DossierState.Initial;
            var events = new List<DossierEvent>();
            var now = new DateTimeOffset(2026, 3, 2, 8, 0, 0, Samples.Vn);
            foreach (var move in moves)
            {
                now = now.AddMinutes(Math.Max(0, move.Minutes));
                handedOut.Add((state, StateJson.Of(state)));
                var decision = move.Kind == 9 ? Decider.Tick(state, now, context) : Decider.Decide(Command(context.Definition, state, move, now), state, context);
                var step = state;
                foreach (var e in decision.Events)
                {
                    events.Add(e);
                    step = Decider.Evolve(step, e);
                    handedOut.Add((step, StateJson.Of(step)));
                }

                state = decision.State;
            }

            Decider.Fold(events);
            foreach (var (earlier, json) in handedOut)
            {
                StateJson.Of(earlier).ShouldBe(json);
            }

            return true;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    private static bool Holds(DossierContext context, Move[] moves)
    {
        var state = DossierState.Initial;
        var events = new List<DossierEvent>();
        var now = new DateTimeOffset(2026, 3, 2, 8, 0, 0, Samples.Vn);
        foreach (var move in moves)
        {
            now = now.AddMinutes(move.Minutes);
            var decision = move.Kind == 9 ? Decider.Tick(state, now, context) : Decider.Decide(Command(context.Definition, state, move, now), state, context);
            if (decision.IsRejected)
            {
                decision.Events.ShouldBeEmpty();
                decision.State.ShouldBeSameAs(state);
                continue;
            }

            foreach (var e in decision.Events)
            {
                e.At.ShouldBeGreaterThanOrEqualTo(events.Count > 0 ? events[^1].At : DateTimeOffset.MinValue);
            }

            events.AddRange(decision.Events);
            state = decision.State;
            state.Version.ShouldBe(events.Count);
        }

        var live = StateJson.Of(state);
        StateJson.Of(Decider.Fold(events)).ShouldBe(live);
        var stored = events.Select(e => DossierEventSerializer.Default.Serialize(e))
            .Select(x => DossierEventSerializer.Default.Deserialize(x.Type, x.Json));
        StateJson.Of(Decider.Fold(stored)).ShouldBe(live);
        return true;
    }

    internal static DossierCommand Command(ProcedureDefinition def, DossierState state, Move m, DateTimeOffset at)
    {
        var step = def.Steps[m.Step % def.Steps.Length];
        var agencies = def.Agencies;
        var agency = m.RightAgency ? step.Agency : agencies[(m.Step + 1) % agencies.Length].Id;
        var oneStop = m.RightAgency ? "one-stop" : "pc07";
        var officer = new Actor("u-" + agency, agency);
        var docs = def.Documents.Select(d => d.Id).Append("giay-khong-khai-bao").Where((_, i) => (m.Docs & (1 << i)) != 0).ToImmutableArray();
        var allDocs = def.Documents.Select(d => d.Id).ToImmutableArray();
        var inputs = def.Inputs.ToImmutableDictionary(i => i.Id, i => i.Type switch
        {
            InputType.Bool => (m.Docs % 2 == 0).ToString().ToLowerInvariant(),
            InputType.Number => "5",
            InputType.Enum => i.Values[m.Docs % i.Values.Length],
            _ => "x",
        });
        var applicant = new Applicant("Nguyễn Văn A");
        var citizen = new Actor("citizen", "applicant");
        var outcomes = step.Outcomes;
        return m.Kind switch
        {
            0 => new ReceiveDossier(at, new Actor("u1", oneStop), "d-1", applicant, inputs, m.Docs % 3 == 0 ? docs : allDocs),
            1 => new RefuseDossier(at, new Actor("u1", oneStop), "d-1", m.Docs % 5 == 0 ? "" : "Không đủ điều kiện", applicant),
            2 => new CompleteStep(at, officer, step.Id, m.Score < outcomes.Length ? outcomes[m.Score] : null),
            3 => new RequestSupplement(at, officer, step.Id, docs, "Bổ sung"),
            4 => new ProvideSupplement(at, citizen, m.Docs % 4 == 0 ? docs : state.Supplement?.Documents.Select(d => d.Id).ToImmutableArray() ?? docs),
            5 => new ReturnResult(at, new Actor("u1", oneStop)),
            6 => new WithdrawDossier(at, citizen, "Rút hồ sơ"),
            7 => new EvaluateDossier(at, citizen, m.Score),
            8 => new IssueApology(at, officer, m.RightAgency ? null : "khong-ton-tai", "Chậm do khối lượng hồ sơ lớn", m.Docs % 2 == 0 ? null : at.AddDays(m.Score * 3 - 3)),
            _ => new SubmitOnline(at, citizen, "d-1", applicant, inputs, allDocs),
        };
    }
}
