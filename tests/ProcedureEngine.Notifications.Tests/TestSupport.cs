using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using ProcedureEngine.Dossiers.Events;
using ProcedureEngine.Dossiers.Persistence;
using ProcedureEngine.EventStore;
using ProcedureEngine.EventStore.Postgres;
using ProcedureEngine.EventStore.Sqlite;
using ProcedureEngine.Notifications.Outbox;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;
using DActor = ProcedureEngine.Dossiers.Events.Actor;
using SActor = ProcedureEngine.EventStore.Actor;

namespace ProcedureEngine.Notifications.Tests;

/// <summary>Stores with the dossier read models and the outbox: a temp SQLite file, or a fresh schema on PE_TEST_POSTGRES.</summary>
public static class Stores
{
    public static string PostgresConnectionString =>
        Environment.GetEnvironmentVariable("PE_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("PE_TEST_POSTGRES is not set: PostgreSQL tests need a server (source scripts/postgres.sh && pe_pg_start, or run ./test.sh). They never skip.");

    public static IReadOnlyList<IProjection> Projections => [.. DossierProjections.All(), new NotificationOutboxProjection()];

    public static async Task<IEventStore> OpenAsync(string backend, string? schema = null)
    {
        IEventStore store = backend == "sqlite"
            ? SqliteEventStore.Open(Path.Combine(Path.GetTempPath(), "pe-notify-tests", $"{Guid.NewGuid():N}.db"), Projections)
            : PostgresEventStore.Open(PostgresConnectionString, schema ?? "nt_" + Guid.NewGuid().ToString("N")[..16], Projections);
        await store.MigrateAsync();
        return store;
    }
}

/// <summary>Realistic dossier events (a building permit received at the counter, and what can follow).</summary>
public static class Dossier
{
    public static readonly TimeSpan Vn = TimeSpan.FromHours(7);
    public static readonly DateTimeOffset ReceivedAt = new(2026, 4, 24, 9, 0, 0, Vn);
    public static readonly DateTimeOffset Appointment = new(2026, 5, 19, 9, 0, 0, Vn);
    public static readonly DActor Counter = new("cb-motcua-01", "one-stop");
    public static readonly DActor Appraiser = new("sxd-01", "so-xay-dung");

    public static Applicant Applicant(params string[] notify) =>
        new("Nguyễn Thị Hồng Nhung") { Phone = "0912345678", Email = "nhung@example.vn", Notify = notify };

    public static DossierReceived Receipt(string code, Applicant applicant, Channel channel = Channel.Counter) => new(
        ReceivedAt, code, code, "1.009792", 3, "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "nd118-2025", null, channel, Counter,
        "Bộ phận Một cửa", applicant, ImmutableDictionary<string, string>.Empty, [new DocumentEntry("don-de-nghi", "Đơn đề nghị", 1, true)],
        "15 working days", ReceivedAt, Appointment,
        [
            new PlannedStep("receive", "Tiếp nhận", "one-stop", "Bộ phận Một cửa", []),
            new PlannedStep("appraise", "Thẩm định", "so-xay-dung", "Sở Xây dựng", ["receive"]),
        ]);

    public static SupplementRequested Supplement() => new(ReceivedAt.AddDays(3), Appraiser, "appraise",
        [new DocumentEntry("ban-ve", "Bản vẽ thiết kế xây dựng", 2, false), new DocumentEntry("gcn-qsdd", "Giấy chứng nhận quyền sử dụng đất", 1, false)],
        "Thiếu bản vẽ mặt bằng", SupplementMode.Restart, ReceivedAt.AddDays(33));

    public static ApologyIssued Apology() => new(Appointment.AddHours(1), null, "so-xay-dung", "Sở Xây dựng", "appraise", "Quá tải hồ sơ",
        Appointment, Appointment.AddDays(5), true);

    public static async Task<AppendResult> AppendAsync(IEventStore store, string id, long expected, params DossierEvent[] events) =>
        await new DossierEventStore(store).AppendAsync(id, expected, [.. events.Select(e => new DossierEventEnvelope(e, DossierEventStore.ActorOf(e, SActor.System), "corr", null))]);

    /// <summary>A code of the real shape (25 characters).</summary>
    public static string Code(int n) => $"000.00.07.H13-260424-{n:0000}";
}

/// <summary>A real SMTP server in the test process (the SmtpServer package) that keeps what it receives; it can be stopped and started again on its port.</summary>
public sealed class TestSmtp : IAsyncDisposable
{
    private CancellationTokenSource? running;
    private SmtpServer.SmtpServer? server;

    public TestSmtp() => Port = FreePort();

    public int Port { get; }

    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>When set, the server answers the DATA with this code (e.g. 451 to simulate a busy server).</summary>
    public SmtpReplyCode? Reject { get; set; }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public TestSmtp Start()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        server = new SmtpServer.SmtpServer(options, services);
        running = new CancellationTokenSource();
        _ = server.StartAsync(running.Token);
        return this;
    }

    public async Task StopAsync()
    {
        if (server is not null && running is not null)
        {
            await running.CancelAsync();
            try
            {
                await server.ShutdownTask;
            }
            catch (OperationCanceledException)
            {
            }

            running.Dispose();
            server = null;
            running = null;
        }
    }

    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Received.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return [.. Received];
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Store(TestSmtp owner) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (owner.Reject is { } code)
            {
                return new SmtpResponse(code, "try again later");
            }

            await using var stream = new MemoryStream(buffer.ToArray());
            owner.Received.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}

/// <summary>A clock the tests move.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A letter source that hands a small PDF-looking file (the host renders the real letters).</summary>
public sealed class FakeLetters : ILetterSource
{
    public Task<Attachment?> LetterAsync(NotificationFacts facts, CancellationToken cancellationToken) =>
        Task.FromResult<Attachment?>(new Attachment($"{facts.Reference}-{facts.Kind}.pdf", "%PDF-1.4 test"u8.ToArray()));
}
