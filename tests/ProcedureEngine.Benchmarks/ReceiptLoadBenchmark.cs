using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ProcedureEngine.Benchmarks;

/// <summary>
/// Counter receipts over HTTP, black-box: a real `procedure-engine serve` (the built host, a child process) on a fresh
/// SQLite file or PostgreSQL database, driven by N concurrent clients posting complete receipts
/// (<c>POST /api/dossiers</c>, procedure 1.013233) for a fixed time per level. Baselines measured in the same run, on
/// the same server and clients: <c>GET /health</c> at the same concurrency (what HTTP, auth-free routing and the
/// machine cost), and, on PostgreSQL, a raw Npgsql single-row INSERT (prepared, autocommit, one connection per client) on the
/// same database. Reports receipts/s, p50/p99 latency, 5xx count, the server's CPU time per receipt (the child's
/// processor time over the level divided by the receipts it answered) and the ratios. Then "flatness": the receipt
/// rate in successive time slices (16 clients) as the day's count of dossiers grows.
/// Run: <c>dotnet run -c Release --project tests/ProcedureEngine.Benchmarks -- --receipt-bench [--store sqlite|postgres|both]
/// [--seconds S] [--levels 1,16,64] [--slices N] [--warmup S] [--host DLL] [--server-env NAME=VALUE]</c> (build the solution first; PostgreSQL needs PE_TEST_POSTGRES).
/// </summary>
public static class ReceiptLoadBenchmark
{
    private const string Token = "bench-token-cb-motcua-01";

    private const string Body = """
        {"procedure":{"code":"1.013233"},"applicant":{"name":"Nguyễn Văn A","phone":"0912345678"},
         "documents":["chinh-giay-phep-xay-dung-da","don-de-nghi-gia-han-giay"]}
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var stores = new List<string> { "sqlite", "postgres" };
        var seconds = 10;
        int[]? levels = null;
        var slices = 3;
        var warmup = 20;
        string? hostPath = null;
        var serverEnvironment = new List<(string Name, string Value)>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--store":
                    stores = args[i + 1] == "both" ? stores : [args[i + 1]];
                    break;
                case "--seconds":
                    seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--levels":
                    levels = [.. args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--warmup":
                    warmup = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--host":
                    hostPath = args[i + 1];
                    break;
                case "--server-env":
                    if (args[i + 1].Split('=', 2) is not [{ Length: > 0 } name, var value])
                    {
                        Console.Error.WriteLine("--server-env takes NAME=VALUE (an environment variable of the server only, e.g. DOTNET_gcServer=0)");
                        return 2;
                    }

                    serverEnvironment.Add((name, value));
                    break;
                case "--slices":
                    slices = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    if (slices < 0)
                    {
                        Console.Error.WriteLine("--slices is 0 (no flatness phase) or more");
                        return 2;
                    }

                    break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]} (use --store sqlite|postgres|both, --seconds S, --levels 1,16,64, --slices N, --warmup S, --host path/to/procedure-engine.dll, --server-env NAME=VALUE)");
                    return 2;
            }
        }

        var root = FindRepositoryRoot();
        var host = hostPath ?? Path.Combine(root, "host", "ProcedureEngine.Host", "bin", "Release", "net10.0", "procedure-engine.dll");
        if (!File.Exists(host))
        {
            Console.Error.WriteLine($"{host} not found: build the solution first (dotnet build ProcedureEngine.sln -c Release)");
            return 2;
        }

        Console.WriteLine($"Receipt load benchmark, {Environment.ProcessorCount} cores, {seconds} s per level after a {warmup} s warm-up");
        foreach (var store in stores)
        {
            var connection = store == "postgres" ? await NewDatabaseAsync() : null;
            if (store == "postgres" && connection is null)
            {
                Console.Error.WriteLine("PE_TEST_POSTGRES is not set: source scripts/postgres.sh && pe_pg_start");
                return 2;
            }

            await RunStoreAsync(root, host, store, connection, seconds, levels ?? (store == "postgres" ? [1, 16, 64] : [1, 32]), slices, warmup, serverEnvironment);
        }

        return 0;
    }

    private static async Task RunStoreAsync(string root, string host, string store, string? connection, int seconds, int[] levels, int slices, int warmup,
        IReadOnlyList<(string Name, string Value)> serverEnvironment)
    {
        var data = Directory.CreateTempSubdirectory("pe-receipt-bench-").FullName;
        File.WriteAllText(Path.Combine(data, "users.yaml"),
            $"users:\n  - {{ id: cb-motcua-01, name: Bench, role: officer, agency: one-stop, tokenSha256: {Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)))} }}\n");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { host, "serve", "--urls", $"http://127.0.0.1:{port}", "--definitions", Path.Combine(root, "definitions"),
                     "--data", data, "--users", Path.Combine(data, "users.yaml"), "--sweep-seconds", "3600", "--store", store })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in serverEnvironment)
        {
            start.Environment[name] = value;
        }

        if (connection is not null)
        {
            start.ArgumentList.Add("--connection");
            start.ArgumentList.Add(connection);
        }

        using var server = Process.Start(start)!;
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"  server: {e.Data}");
            }
        };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromSeconds(60),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            await WaitHealthyAsync(http, server);
            await using var raw = connection is null ? null : NpgsqlDataSource.Create(connection);
            if (raw is not null)
            {
                await using var create = raw.CreateCommand("CREATE TABLE bench_raw (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text NOT NULL, data json NOT NULL)");
                await create.ExecuteNonQueryAsync();
            }

            Console.WriteLine();
            Console.WriteLine($"== {store} ==");
            Console.WriteLine("clients | receipts/s | p50 ms | p99 ms | 5xx | CPU ms/receipt | /health/s | receipts ÷ health | raw INSERT/s | receipts ÷ INSERT");

            // Warm-up: connection pools, the catalogue's caches, and the JIT's second tier — on two cores the server is
            // still recompiling hot methods (up to a fifth of its processor time) 15-20 s after it starts.
            await LoadAsync(http, 16, TimeSpan.FromSeconds(warmup), Receipt);
            foreach (var clients in levels)
            {
                var health = await LoadAsync(http, clients, TimeSpan.FromSeconds(seconds), Health);
                var cpuBefore = Cpu(server);
                var receipts = await LoadAsync(http, clients, TimeSpan.FromSeconds(seconds), Receipt);
                var cpu = Cpu(server) - cpuBefore;
                var insert = raw is null ? (double?)null : await RawInsertsAsync(raw, clients, TimeSpan.FromSeconds(seconds));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{clients,7} | {receipts.Rate,10:F0} | {receipts.P50,6:F1} | {receipts.P99,6:F1} | {receipts.Failures,3} | {cpu.TotalMilliseconds / Math.Max(1, receipts.Ok),14:F2} | {health.Rate,9:F0} | {receipts.Rate / health.Rate,17:F3} | {(insert is { } r ? r.ToString("F0", CultureInfo.InvariantCulture) : "-"),12} | {(insert is { } q ? (receipts.Rate / q).ToString("F3", CultureInfo.InvariantCulture) : "-"),17}"));
                if (receipts.FirstError is { } error)
                {
                    Console.WriteLine($"        first failure: {error}");
                }
            }

            // Flatness: the same load while the day's dossiers pile up (one agency, one day), in slices of time
            // (`--slices 0` leaves it out).
            if (slices == 0)
            {
                return;
            }

            var flatClients = levels.Max() >= 16 ? 16 : levels.Max();
            Console.WriteLine($"flatness at {flatClients} clients, {slices} slices of {seconds} s, one agency's day (after the levels above):");
            var sliceRates = new List<double>();
            var received = 0;
            for (var slice = 0; slice < slices; slice++)
            {
                var result = await LoadAsync(http, flatClients, TimeSpan.FromSeconds(seconds), Receipt);
                sliceRates.Add(result.Rate);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  slice {slice + 1} (receipts {received + 1:N0}-{received + result.Ok:N0} of this phase): {result.Rate:F0} receipts/s, p99 {result.P99:F1} ms, 5xx {result.Failures}"));
                received += result.Ok;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  last slice ÷ first slice: {sliceRates[^1] / sliceRates[0]:F2}"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try
            {
                Directory.Delete(data, recursive: true);
            }
            catch (IOException)
            {
            }

            await DropDatabaseAsync(connection);
        }
    }

    /// <summary>Drops the database <see cref="NewDatabaseAsync"/> made for the run, so runs leave nothing on the server.</summary>
    private static async Task DropDatabaseAsync(string? connection)
    {
        if (connection is null || Environment.GetEnvironmentVariable("PE_TEST_POSTGRES") is not { Length: > 0 } server)
        {
            return;
        }

        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(connection).Database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task<bool?> Receipt(HttpClient http)
    {
        using var content = new StringContent(Body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/api/dossiers", UriKind.Relative), content);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.Created ? true : (int)response.StatusCode >= 500 ? null : throw new InvalidOperationException($"receipt answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<bool?> Health(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
        await response.Content.ReadAsByteArrayAsync();
        return response.IsSuccessStatusCode ? true : null;
    }

    private sealed record LoadResult(double Rate, double P50, double P99, int Ok, int Failures, string? FirstError);

    /// <summary>Runs <paramref name="clients"/> loops for a time (or until <paramref name="total"/> requests); true = answered, null = 5xx.</summary>
    private static async Task<LoadResult> LoadAsync(HttpClient http, int clients, TimeSpan? duration, Func<HttpClient, Task<bool?>> request, int total = int.MaxValue)
    {
        var latencies = new ConcurrentBag<double>();
        var ok = 0;
        var failures = 0;
        var started = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        var until = duration ?? TimeSpan.MaxValue;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < until && Interlocked.Increment(ref started) <= total)
            {
                var t = Stopwatch.GetTimestamp();
                bool? answered;
                try
                {
                    answered = await request(http);
                }
                catch (HttpRequestException e)
                {
                    answered = null;
                    firstError ??= e.Message;
                }

                latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                if (answered is true)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        var elapsed = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        double Percentile(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
        return new LoadResult(ok / elapsed, Percentile(0.50), Percentile(0.99), ok, failures, firstError);
    }

    private static async Task<double> RawInsertsAsync(NpgsqlDataSource raw, int clients, TimeSpan duration)
    {
        var count = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            await using var connection = await raw.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO bench_raw (stream_id, data) VALUES ($1, $2::json)", connection)
            {
                Parameters = { new() { Value = "" }, new() { Value = Body } },
            };
            await insert.PrepareAsync(); // as the store's own statements are (PostgresEventStore.AutoPreparedStatements)
            var n = 0;
            while (clock.Elapsed < duration)
            {
                insert.Parameters[0].Value = $"raw-{c}-{n++}";
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref count);
            }
        })));
        return count / clock.Elapsed.TotalSeconds;
    }

    private static TimeSpan Cpu(Process server)
    {
        server.Refresh();
        return server.TotalProcessorTime;
    }

    private static async Task WaitHealthyAsync(HttpClient http, Process server)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (server.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {server.ExitCode} before answering /health");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the server did not answer /health within 120 s");
    }

    private static async Task<string?> NewDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable("PE_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            return null;
        }

        var name = "receipts_" + Guid.NewGuid().ToString("N")[..10];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 100 }.ConnectionString;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ProcedureEngine.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
