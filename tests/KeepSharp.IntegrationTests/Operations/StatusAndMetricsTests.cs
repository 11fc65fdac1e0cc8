using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KeepSharp.IntegrationTests.Daemon;
using KeepSharp.Lab;
using KeepSharp.Linux;
using KeepSharp.Tests.Status;
using Xunit.Abstractions;

namespace KeepSharp.IntegrationTests.Operations;

/// <summary>
/// The control socket and the metrics endpoint of the real native binary, on a master/backup pair in network namespaces:
/// <c>keepsharp status</c> and <c>--json</c>, <c>/metrics</c> parsed as Prometheus text, a non-root caller refused,
/// hostile clients on both endpoints, <c>keepsharp garp</c> on the wire, and <c>keepsharp reload</c> with a broken file.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StatusAndMetricsTests(ITestOutputHelper output)
{
    private const int MetricsPort = 9650;

    /// <summary>The lab's seed-like instance, with the control socket in the host's run folder and the metrics endpoint on its address.</summary>
    private static string Config(LabHost host, string routerId, string state, int priority) => $$"""
        global_defs {
           router_id {{routerId}}
           control_socket {{Socket(host)}}
           metrics_listen {{host.Address}}:{{MetricsPort}}
        }
        vrrp_instance VI_1 {
            state {{state}}
            interface eth0
            virtual_router_id 51
            priority {{priority}}
            advert_int 1
            garp_master_delay 0
            authentication {
                auth_type PASS
                auth_pass 1111
            }
            virtual_ipaddress {
                10.51.0.161
            }
        }
        """;

    private static string Socket(LabHost host) => Path.Combine(host.RunDir, "keepsharp.sock");

    private sealed record Pair(DaemonLab Lab, LabDaemon Master, LabDaemon Backup);

    private Pair StartPair(DaemonLab lab)
    {
        LabHost h171 = lab.Topology.H171;
        LabHost h172 = lab.Topology.H172;
        LabDaemon master = lab.StartKeepSharp(h171, Config(h171, "keep_171", "MASTER", 100));
        LabDaemon backup = lab.StartKeepSharp(h172, Config(h172, "keep_172", "BACKUP", 80));
        Assert.True(DaemonLab.WaitFor(() => lab.Topology.HoldsVip(h171) && lab.Log(backup).Contains("Entering BACKUP STATE"), TimeSpan.FromSeconds(8)),
            $"no master/backup pair:\n{lab.Log(master)}\n{lab.Log(backup)}");
        // the backup has heard the master at least once
        Assert.True(DaemonLab.WaitFor(() => Status(h172, "--json").StdOut.Contains("\"heard\": [\n        {"), TimeSpan.FromSeconds(4)),
            $"the backup heard nobody:\n{Status(h172).StdOut}");
        return new Pair(lab, master, backup);
    }

    private static (int ExitCode, string StdOut, string StdErr) Status(LabHost host, params string[] more) =>
        KeepSharpProcess.Run(["status", "-s", Socket(host), .. more]);

    [Fact]
    public void Status_and_json_show_states_priorities_vips_and_the_peer_heard_on_the_wire_and_metrics_parse()
    {
        using var lab = new DaemonLab(output);
        Pair pair = StartPair(lab);
        LabHost h171 = lab.Topology.H171;
        LabHost h172 = lab.Topology.H172;

        var (code, table, error) = Status(h171);
        output.WriteLine(table);
        Assert.True(code == 0, error);
        Assert.Contains("VI_1  MASTER  VRID 51 IPv4 VRRPv2 on eth0, from 10.51.0.171, advert_int 1 s", table);
        Assert.Contains("priority     base 100, effective 100", table);
        Assert.Contains("master       10.51.0.171 (this host)", table);
        Assert.Contains("VIPs         10.51.0.161 (installed)", table);
        Assert.Matches(@"last change  BACKUP -> MASTER at .*|last change  INIT -> MASTER at .*", table);

        (code, table, error) = Status(h172);
        output.WriteLine(table);
        Assert.True(code == 0, error);
        Assert.Contains("VI_1  BACKUP  VRID 51", table);
        Assert.Contains("priority     base 80, effective 80", table);
        Assert.Contains("master       10.51.0.171\n", table);
        Assert.Matches(@"10\.51\.0\.171\s+100\s+1 s\s+v2\s+\d+\s+[\d.]+ s ago\s+accepted", table);

        (code, string json, error) = Status(h172, "--json");
        Assert.True(code == 0, error);
        output.WriteLine(json);
        using (JsonDocument document = JsonDocument.Parse(json))
        {
            JsonElement vi1 = document.RootElement.GetProperty("instances")[0];
            Assert.Equal("BACKUP", vi1.GetProperty("state").GetString());
            Assert.Equal(80, vi1.GetProperty("base_priority").GetInt32());
            Assert.Equal("10.51.0.171", vi1.GetProperty("master_address").GetString());
            Assert.Equal("10.51.0.161", vi1.GetProperty("virtual_addresses")[0].GetString());
            JsonElement heard = vi1.GetProperty("heard")[0];
            Assert.Equal("10.51.0.171", heard.GetProperty("address").GetString());
            Assert.Equal(100, heard.GetProperty("priority").GetInt32());
            Assert.Equal(1.0, heard.GetProperty("advert_interval_seconds").GetDouble());
            Assert.Equal(JsonValueKind.Null, heard.GetProperty("last_drop").ValueKind);
        }

        // /metrics, scraped from the client's namespace: adverts sent grow, MASTER=1 on the master, BACKUP=1 on the backup.
        var first = PrometheusParser.Parse(Scrape(lab, h171.Address));
        Thread.Sleep(2200);
        string text = Scrape(lab, h171.Address);
        output.WriteLine(text);
        var second = PrometheusParser.Parse(text);
        (string, string) vi = ("vrrp_instance", "VI_1");
        Assert.Equal(1, PrometheusParser.Value(second, "keepsharp_vrrp_state", vi, ("state", "MASTER")));
        Assert.Equal(0, PrometheusParser.Value(second, "keepsharp_vrrp_state", vi, ("state", "BACKUP")));
        Assert.Equal(100, PrometheusParser.Value(second, "keepsharp_vrrp_effective_priority", vi));
        Assert.True(PrometheusParser.Value(second, "keepsharp_vrrp_adverts_sent_total", vi) >= PrometheusParser.Value(first, "keepsharp_vrrp_adverts_sent_total", vi) + 2,
            "the master's adverts sent did not grow");
        Assert.Equal(1, PrometheusParser.Value(second, "keepsharp_vrrp_became_master_total", vi));
        var backupMetrics = PrometheusParser.Parse(Scrape(lab, h172.Address));
        Assert.Equal(1, PrometheusParser.Value(backupMetrics, "keepsharp_vrrp_state", vi, ("state", "BACKUP")));
        Assert.True(PrometheusParser.Value(backupMetrics, "keepsharp_vrrp_adverts_received_total", vi) >= 2);
        Assert.Equal(100, PrometheusParser.Value(backupMetrics, "keepsharp_vrrp_heard_router_priority", vi, ("source", "10.51.0.171")));
        _ = pair;
    }

    [Fact]
    public void A_caller_that_is_not_root_is_refused()
    {
        using var lab = new DaemonLab(output);
        Pair pair = StartPair(lab);
        LabHost h171 = lab.Topology.H171;
        string socket = Socket(h171);
        // The binary where nobody may run it.
        string binary = Path.Combine(lab.Topology.WorkDir, "keepsharp-client");
        File.Copy(KeepSharpProcess.BinaryPath, binary, overwrite: true);
        File.SetUnixFileMode(binary, (UnixFileMode)0b111_101_101);

        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(socket) & (UnixFileMode)0b111_111_111);
        var (code, _, error) = AsNobody(binary, "status", "-s", socket);
        Assert.Equal(1, code);
        Assert.Contains("permission denied", error);
        Assert.Contains("root-only", error);

        // Even when the file's mode lets anyone connect, SO_PEERCRED refuses the caller.
        File.SetUnixFileMode(socket, (UnixFileMode)0b110_110_110);
        (code, string stdout, error) = AsNobody(binary, "status", "-s", socket);
        Assert.Equal(1, code);
        Assert.Contains("permission denied: the control socket serves root only (you are uid 65534)", error);
        Assert.DoesNotContain("VI_1", stdout);
        Assert.True(DaemonLab.WaitFor(() => lab.Log(pair.Master).Contains("control socket: refused a caller that is not root"), TimeSpan.FromSeconds(2)));
        Assert.Equal(0, Status(h171).ExitCode); // root still gets its answer
    }

    private static (int, string, string) AsNobody(string binary, params string[] args)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["--reuid=nobody", "--regid=nogroup", "--clear-groups", binary, .. args])
            start.ArgumentList.Add(a);
        using Process p = Process.Start(start)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(20)));
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Malformed_oversized_and_slow_clients_stop_neither_endpoint_nor_the_adverts()
    {
        using var lab = new DaemonLab(output);
        Pair pair = StartPair(lab);
        LabHost h171 = lab.Topology.H171;
        string socket = Socket(h171);
        double sentBefore = AdvertsSent(lab, h171);

        // Oversized and malformed requests on the control socket: each gets an error answer.
        Assert.Contains("longer than 4096 bytes", ControlExchange(socket, new byte[64 * 1024].Select(_ => (byte)'x').Append((byte)'\n').ToArray()));
        Assert.Contains("not valid JSON", ControlExchange(socket, "status please\n"u8.ToArray()));
        Assert.Contains("unknown command", ControlExchange(socket, "{\"command\":\"rm -rf\"}\n"u8.ToArray()));
        // ... and on the metrics endpoint.
        Assert.StartsWith("HTTP/1.1 431", HttpExchange(lab, h171.Address, Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX: " + new string('a', 20000) + "\r\n\r\n")));
        Assert.StartsWith("HTTP/1.1 400", HttpExchange(lab, h171.Address, "\u0016\u0003\u0001 garbage\r\n\r\n"u8.ToArray()));
        Assert.StartsWith("HTTP/1.1 404", HttpExchange(lab, h171.Address, "GET /admin HTTP/1.1\r\n\r\n"u8.ToArray()));
        Assert.StartsWith("HTTP/1.1 405", HttpExchange(lab, h171.Address, "DELETE /metrics HTTP/1.1\r\n\r\n"u8.ToArray()));

        // Slow clients: more than either endpoint serves at once, each sending half a request and then nothing.
        List<Socket> slow = [];
        for (int i = 0; i < 12; i++)
        {
            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            unix.Connect(new UnixDomainSocketEndPoint(socket));
            try
            {
                unix.Send("{\"command\":"u8);
            }
            catch (SocketException)
            {
                // past MaxConnections the daemon answers "busy" and closes at once
            }
            slow.Add(unix);
            slow.Add(NetworkNamespace.Run(lab.Topology.ClientNs, () =>
            {
                var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Connect(h171.Address, MetricsPort);
                tcp.Send("GET /metr"u8);
                return tcp;
            }));
        }
        // With every slot held, a new control client is told to retry; the metrics endpoint closes on a new one.
        Assert.Contains("busy", ControlExchange(socket, "{\"command\":\"status\"}\n"u8.ToArray()));
        Assert.Equal("", HttpExchange(lab, h171.Address, "GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()));

        // The slow ones time out (2 s on the control socket, 5 s on metrics) and both endpoints answer again.
        Thread.Sleep(5500);
        Assert.True(DaemonLab.WaitFor(() => Status(h171).ExitCode == 0, TimeSpan.FromSeconds(3)), "the control socket no longer answers");
        Assert.True(AdvertsSent(lab, h171) >= sentBefore + 5, "the master's adverts stalled");
        foreach (Socket s in slow)
            s.Dispose();
        Assert.Contains("Entering BACKUP STATE", lab.Log(pair.Backup));
        Assert.DoesNotContain("Entering MASTER STATE", lab.Log(pair.Backup)); // never a gap long enough to fail over
        Assert.True(lab.Topology.HoldsVip(h171));
    }

    [Fact]
    public void Garp_makes_the_master_send_gratuitous_arps_and_a_backup_refuses()
    {
        using var lab = new DaemonLab(output);
        Pair pair = StartPair(lab);
        LabHost h171 = lab.Topology.H171;
        Thread.Sleep(1500); // the burst of becoming master is over (garp_master_delay 0: no second burst)

        var tcpdump = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in (string[])["netns", "exec", lab.Topology.ClientNs, "tcpdump", "-l", "-n", "-i", "eth0", "arp"])
            tcpdump.ArgumentList.Add(a);
        using Process capture = Process.Start(tcpdump)!;
        try
        {
            var lines = new List<string>();
            var listening = new ManualResetEventSlim();
            capture.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("listening on") == true) listening.Set(); };
            capture.OutputDataReceived += (_, e) => { if (e.Data is { } l) lock (lines) lines.Add(l); };
            capture.BeginErrorReadLine();
            capture.BeginOutputReadLine();
            Assert.True(listening.Wait(TimeSpan.FromSeconds(5)), "tcpdump did not start");
            Thread.Sleep(1500);
            int before;
            lock (lines) before = lines.Count(l => l.Contains("10.51.0.161"));
            Assert.Equal(0, before);

            var (code, stdout, error) = KeepSharpProcess.Run("garp", "VI_1", "-s", Socket(h171));
            Assert.True(code == 0, error);
            Assert.Contains("(VI_1) announced 1 address(es) 5 time(s)", stdout);
            Assert.True(DaemonLab.WaitFor(() => { lock (lines) return lines.Count(l => l.Contains("10.51.0.161")) >= 5; }, TimeSpan.FromSeconds(3)),
                $"no gratuitous ARPs for the VIP: {string.Join('\n', lines)}");
            Assert.Contains("(VI_1) sending gratuitous ARPs", lab.Log(pair.Master));
        }
        finally
        {
            capture.Kill(entireProcessTree: true);
            capture.WaitForExit(3000);
        }

        var (backupCode, _, backupError) = KeepSharpProcess.Run("garp", "VI_1", "-s", Socket(lab.Topology.H172));
        Assert.Equal(1, backupCode);
        Assert.Contains("(VI_1) is BACKUP: only a master announces its addresses", backupError);
        var (unknownCode, _, unknownError) = KeepSharpProcess.Run("garp", "VI_9", "-s", Socket(h171));
        Assert.Equal(1, unknownCode);
        Assert.Contains("no instance VI_9 (instances: VI_1)", unknownError);
    }

    [Fact]
    public void Reload_with_a_broken_file_reports_file_and_line_and_leaves_the_daemon_alone()
    {
        using var lab = new DaemonLab(output);
        Pair pair = StartPair(lab);
        LabHost h171 = lab.Topology.H171;
        string good = pair.Master.ConfigPath;
        string broken = Path.Combine(h171.RunDir, "broken.conf");
        File.WriteAllText(broken, File.ReadAllText(good).Replace("priority 100", "priority 300"));
        string statusBefore = Status(h171, "--json").StdOut;

        var (code, stdout, error) = KeepSharpProcess.Run("reload", "-f", broken, "-s", Socket(h171));
        output.WriteLine(error);
        Assert.Equal(2, code);
        Assert.Matches($@"{Regex(broken)}:\d+: error: .*priority", error);
        Assert.Contains("the daemon was not asked to reload", error);
        Assert.Empty(stdout);
        Assert.DoesNotContain("Reload requested", lab.Log(pair.Master));
        string statusAfter = Status(h171, "--json").StdOut;
        Assert.Contains("\"state\": \"MASTER\"", statusAfter);
        Assert.Contains("\"base_priority\": 100", statusAfter);
        Assert.Contains("\"base_priority\": 100", statusBefore);

        // A sound file other than the daemon's is refused by the daemon; the daemon's own goes through to the reload.
        File.WriteAllText(broken, File.ReadAllText(good));
        (code, _, error) = KeepSharpProcess.Run("reload", "-f", broken, "-s", Socket(h171));
        Assert.Equal(1, code);
        Assert.Contains($"the daemon runs {good}, not {broken}", error);
        (code, stdout, error) = KeepSharpProcess.Run("reload", "-f", good, "-s", Socket(h171));
        output.WriteLine(stdout + error);
        Assert.Equal(0, code);
        Assert.Contains($"Reloaded {good}", stdout);
        Assert.Contains("Reload done: 1 unchanged, 0 updated, 0 replaced, 0 removed, 0 added", stdout);
        Assert.Contains("Reload requested on the control socket", lab.Log(pair.Master));
        Assert.True(lab.Topology.HoldsVip(h171));
    }

    [Fact]
    public void The_socket_file_is_0600_replaces_a_stale_one_and_is_removed_at_exit()
    {
        using var lab = new DaemonLab(output);
        LabHost h171 = lab.Topology.H171;
        string socket = Socket(h171);
        // A stale socket file: bound, then its process gone.
        // (.NET removes the file it bound when the socket is disposed: bind elsewhere and move the file into place.)
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            stale.Bind(new UnixDomainSocketEndPoint(socket + ".tmp"));
            File.Move(socket + ".tmp", socket);
        }
        Assert.True(File.Exists(socket));
        LabDaemon daemon = lab.StartKeepSharp(h171, Config(h171, "keep_171", "MASTER", 100));
        Assert.True(DaemonLab.WaitFor(() => Status(h171).ExitCode == 0, TimeSpan.FromSeconds(6)), lab.Log(daemon));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(socket) & (UnixFileMode)0b111_111_111);

        // A second daemon on the same socket path runs without a control socket and leaves the first one's alone.
        LabHost h172 = lab.Topology.H172;
        LabDaemon second = lab.StartKeepSharp(h172, Config(h171, "keep_172", "BACKUP", 80).Replace($"{h171.Address}:{MetricsPort}", $"{h172.Address}:{MetricsPort}"));
        Assert.True(DaemonLab.WaitFor(() => lab.Log(second).Contains("No control socket"), TimeSpan.FromSeconds(6)), lab.Log(second));
        Assert.Contains("another daemon is listening on it", lab.Log(second));
        Assert.True(second.StopGracefully(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, Status(h171).ExitCode);

        Assert.True(daemon.StopGracefully(TimeSpan.FromSeconds(5)));
        Assert.False(File.Exists(socket), "the socket file outlived its daemon");
        var (code, _, error) = Status(h171);
        Assert.Equal(1, code);
        Assert.Contains($"no control socket at {socket}", error);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);

    private static double AdvertsSent(DaemonLab lab, LabHost host) =>
        PrometheusParser.Value(PrometheusParser.Parse(Scrape(lab, host.Address)), "keepsharp_vrrp_adverts_sent_total", ("vrrp_instance", "VI_1"));

    private static string Scrape(DaemonLab lab, string address)
    {
        ShResult r = Sh.Run(["ip", "netns", "exec", lab.Topology.ClientNs, "curl", "-sS", "--max-time", "5", "-D", "-", $"http://{address}:{MetricsPort}/metrics"], check: true);
        string response = r.StdOut.ReplaceLineEndings("\n");
        int body = response.IndexOf("\n\n", StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK", response);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8", response[..body]);
        return r.StdOut[(r.StdOut.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
    }

    private static string ControlExchange(string socket, byte[] request)
    {
        using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(socket));
        s.ReceiveTimeout = 5000;
        try
        {
            s.Send(request);
        }
        catch (SocketException)
        {
            // the daemon answered and closed before taking it all
        }
        return ReadAll(s);
    }

    private static string HttpExchange(DaemonLab lab, string address, byte[] request)
    {
        using Socket s = NetworkNamespace.Run(lab.Topology.ClientNs, () =>
        {
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Connect(address, MetricsPort);
            return tcp;
        });
        s.ReceiveTimeout = 8000;
        try
        {
            s.Send(request);
        }
        catch (SocketException)
        {
        }
        return ReadAll(s);
    }

    private static string ReadAll(Socket s)
    {
        var received = new MemoryStream();
        byte[] buffer = new byte[8192];
        try
        {
            int n;
            while ((n = s.Receive(buffer)) > 0)
                received.Write(buffer, 0, n);
        }
        catch (SocketException)
        {
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
