using System.Collections.Immutable;
using ProcedureEngine.Dossiers.Rules;
using ProcedureEngine.Letters.Formatting;
using ProcedureEngine.Letters.Rendering;

namespace ProcedureEngine.Letters.Model;

/// <summary>Result of one hand-over on the control slip, against the step's due instant.</summary>
public enum HandoverResult
{
    Early,
    OnTime,
    Late,
}

/// <summary>One hand-over of the paper dossier between agencies (a row of the control slip).</summary>
public sealed record ControlSlipRow(
    string FromAgency,
    string ToAgency,
    DateTimeOffset At)
{
    /// <summary>What the hand-over is for, e.g. the step's name.</summary>
    public string? Task { get; init; }

    public string? GivenBy { get; init; }

    public string? ReceivedBy { get; init; }

    /// <summary>Early / on time / late for the work handed over; null while still in progress.</summary>
    public HandoverResult? Result { get; init; }

    public string? Note { get; init; }
}

/// <summary>Control slip: Phiếu kiểm soát quá trình giải quyết hồ sơ (form 05 nd61-2018, 06 nd118-2025).</summary>
public sealed record ControlSlip() : DossierLetter(FormKind.ControlSlip, "control-slip")
{
    public required DateTimeOffset ReceivedAt { get; init; }

    public required DateTimeOffset DueAt { get; init; }

    public required string LeadAgency { get; init; }

    /// <summary>Agencies consulted in parallel (liên thông).</summary>
    public ImmutableArray<string> CoordinatingAgencies { get; init; } = [];

    public ImmutableArray<ControlSlipRow> Rows { get; init; } = [];

    private protected override object OwnView(CommonView c, RuleSet rules) => new
    {
        ReceivedAt = VietnameseFormat.DateTime(ReceivedAt, UtcOffset),
        DueAt = VietnameseFormat.DateTime(DueAt, UtcOffset),
        LeadAgency,
        CoordinatingAgencies = CoordinatingAgencies.IsDefaultOrEmpty ? null : string.Join("; ", CoordinatingAgencies),
        Rows = Rows.Select((row, i) => new ControlSlipRowView(
            i + 1,
            row.FromAgency,
            row.ToAgency,
            VietnameseFormat.ShortDateTime(row.At, UtcOffset),
            row.Task,
            row.GivenBy,
            row.ReceivedBy,
            row.Result is { } res ? VietnameseFormat.Result(res) : null,
            row.Note)).ToList(),
    };
}

/// <summary>A control-slip row as the template prints it.</summary>
public sealed record ControlSlipRowView(
    int Index,
    string FromAgency,
    string ToAgency,
    string At,
    string? Task,
    string? GivenBy,
    string? ReceivedBy,
    string? Result,
    string? Note);
