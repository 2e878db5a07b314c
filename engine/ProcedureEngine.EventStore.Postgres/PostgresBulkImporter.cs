using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace ProcedureEngine.EventStore.Postgres;

/// <summary>
/// Imports historical dossiers (new streams only) through binary COPY, hash chained exactly as appends are, in one
/// transaction: either every stream is imported or none. Inline projections are not fed: run
/// <see cref="IEventStore.RebuildProjectionsAsync"/> (CLI: <c>projections rebuild</c>) afterwards.
/// </summary>
public sealed class PostgresBulkImporter(PostgresEventStore store)
{
    /// <summary>Imports the streams; returns the number of events written. Fails (nothing written) if a stream exists.</summary>
    public async Task<long> ImportAsync(IEnumerable<(string StreamId, IReadOnlyList<EventData> Events)> streams, CancellationToken cancellationToken = default)
    {
        await using var connection = await store.OpenNpgsqlAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var heads = new List<(string StreamId, long Version, byte[] Hash)>();
        long count = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY pe_events (stream_id, version, type, data, actor_user, actor_agency, occurred_at, correlation_id, causation_id, idempotency_key, hash, prev_hash) FROM STDIN (FORMAT BINARY)",
            cancellationToken).ConfigureAwait(false))
        {
            foreach (var (streamId, events) in streams)
            {
                if (events.Count == 0)
                {
                    continue;
                }

                var plan = AppendPlan.Create(streamId, ExpectedVersion.NoStream, events);
                plan.Chain(0, HashChain.Genesis.Span);
                for (var i = 0; i < plan.Events.Count; i++)
                {
                    var e = plan.Events[i];
                    var m = e.Metadata;
                    writer.StartRow();
                    writer.Write(streamId, NpgsqlDbType.Text);
                    writer.Write(plan.FirstVersion + i, NpgsqlDbType.Bigint);
                    writer.Write(e.Type, NpgsqlDbType.Text);
                    writer.Write(e.Data.ToArray(), NpgsqlDbType.Json);
                    writer.Write(m.Actor.User, NpgsqlDbType.Text);
                    writer.Write(m.Actor.Agency, NpgsqlDbType.Text);
                    writer.Write(m.Time, NpgsqlDbType.TimestampTz);
                    WriteNullable(writer, m.CorrelationId);
                    WriteNullable(writer, m.CausationId);
                    WriteNullable(writer, m.IdempotencyKey);
                    writer.Write(plan.Hashes[i], NpgsqlDbType.Bytea);
                    writer.Write(plan.PreviousHashes[i], NpgsqlDbType.Bytea);
                }

                heads.Add((streamId, plan.LastVersion, plan.LastHash));
                count += plan.Events.Count;
            }

            try
            {
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new EventStoreException($"import refused, nothing written: {ex.Detail ?? ex.MessageText} (only new streams can be imported)", ex);
            }
        }

        await using (var writer = await connection.BeginBinaryImportAsync("COPY pe_streams (stream_id, version, last_hash) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var (streamId, version, hash) in heads)
            {
                writer.StartRow();
                writer.Write(streamId, NpgsqlDbType.Text);
                writer.Write(version, NpgsqlDbType.Bigint);
                writer.Write(hash, NpgsqlDbType.Bytea);
            }

            try
            {
                await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                throw new EventStoreException($"import refused, nothing written: {ex.Detail ?? ex.MessageText} (only new streams can be imported)", ex);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    // Synchronous writes only fill Npgsql's buffer (flushed when full): far cheaper per column than async calls.
    private static void WriteNullable(NpgsqlBinaryImporter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(value, NpgsqlDbType.Text);
        }
    }
}
