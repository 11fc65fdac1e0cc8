namespace KeepSharp.Lab;

/// <summary>
/// nginx inside a lab host, answering every request with the host's name. The config file leaves
/// `daemon` at its default (on): the lab runs nginx in the foreground with <c>-g "daemon off;"</c>, while a
/// health-check script that (re)starts nginx with <see cref="StartCommand"/> gets a daemonizing nginx, as on a
/// real host.
/// </summary>
public static class Nginx
{
    public static string Dir(LabHost host) => Path.Combine(host.RunDir, "nginx");
    public static string ConfPath(LabHost host) => Path.Combine(Dir(host), "nginx.conf");
    private static string ErrorLog(LabHost host) => Path.Combine(Dir(host), "error.log");

    /// <summary>The command line that starts this host's nginx as a daemon (what the seed's /usr/local/nginx/sbin/nginx is).</summary>
    public static string StartCommand(LabHost host) => $"/usr/sbin/nginx -p {Dir(host)} -e {ErrorLog(host)} -c {ConfPath(host)}";

    public static HostProcess Start(LabHost host)
    {
        Directory.CreateDirectory(Dir(host));
        WriteConfig(host);
        var p = host.Spawn("nginx", ["nginx", "-p", Dir(host), "-e", ErrorLog(host), "-c", ConfPath(host), "-g", "daemon off;"],
            Path.Combine(host.RunDir, "nginx.out"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new LabException($"{host.Name}: nginx exited, see {Dir(host)}/error.log");
            if (Listening(host)) return p;
            Thread.Sleep(50);
        }
        throw new LabException($"{host.Name}: nginx not listening on :80 after 5 s");
    }

    private static void WriteConfig(LabHost host) => File.WriteAllText(ConfPath(host), $$"""
        master_process on;
        worker_processes 1;
        user root;
        pid {{Dir(host)}}/nginx.pid;
        error_log {{ErrorLog(host)}} warn;
        events { worker_connections 512; }
        http {
            access_log off;
            keepalive_timeout 0;
            server {
                listen 80 default_server;{{(host.Address6 is null ? "" : "\n            listen [::]:80 default_server;")}}
                location / {
                    default_type text/plain;
                    return 200 "{{host.Name}}\n";
                }
            }
        }
        """);

    /// <summary>Something listens on :80 in the host's network namespace.</summary>
    public static bool Listening(LabHost host)
    {
        var r = Sh.Try("ip", "netns", "exec", host.Netns, "ss", "-Hltn", "sport = :80");
        return r.ExitCode == 0 && r.StdOut.Trim().Length > 0;
    }

    /// <summary>`nginx -s stop` inside the host (the course notes' step 9).</summary>
    public static void Stop(LabHost host) =>
        host.Exec("/usr/sbin/nginx", "-p", Dir(host), "-e", ErrorLog(host), "-c", ConfPath(host), "-s", "stop");

    /// <summary>
    /// Makes nginx unable to start: its config gets a directive nginx rejects. A running nginx keeps running
    /// (it read its config at start); `nginx -s stop` would itself fail on the broken config, so stop first.
    /// </summary>
    public static void Break(LabHost host) =>
        File.AppendAllText(ConfPath(host), "\nthis_directive_breaks_nginx on;\n");

    /// <summary>
    /// Stops nginx with SIGTERM to the master process named in its pid file, inside the host's pid namespace
    /// (what `nginx -s stop` does, without parsing the config, which may be broken).
    /// </summary>
    public static void Terminate(LabHost host) =>
        host.Exec("sh", "-c", $"kill -TERM \"$(cat {Dir(host)}/nginx.pid)\"");

    /// <summary>Writes the good config back: nginx can start again.</summary>
    public static void Repair(LabHost host) => WriteConfig(host);
}
