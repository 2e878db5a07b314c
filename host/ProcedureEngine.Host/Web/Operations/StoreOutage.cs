namespace ProcedureEngine.Host.Web.Operations;

/// <summary>
/// The errors that mean "the database is away" to the node's background work and readiness check: they are waited out
/// (reported, retried on the next pass), never allowed to stop the node. One list for every such place — a worker
/// whose own list missed the store's "cannot connect" error once stopped both nodes of a failover drill.
/// </summary>
internal static class StoreOutage
{
    public static bool Is(Exception e) =>
        e is System.Data.Common.DbException or EventStoreException or InvalidOperationException or IOException or TimeoutException;
}
