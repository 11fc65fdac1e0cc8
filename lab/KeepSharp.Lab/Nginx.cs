namespace KeepSharp.Lab;

/// <summary>nginx inside a lab host, answering every request with the host's name.</summary>
public static class Nginx
{
    public static HostProcess Start(LabHost host)
    {
        string dir = Path.Combine(host.RunDir, "nginx");
        Directory.CreateDirectory(dir);
        string conf = Path.Combine(dir, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            master_process on;
            worker_processes 1;
            user root;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 512; }
            http {
                access_log off;
                keepalive_timeout 0;
                server {
                    listen 80 default_server;
                    location / {
                        default_type text/plain;
                        return 200 "{{host.Name}}\n";
                    }
                }
            }
            """);
        var p = host.Spawn("nginx", ["nginx", "-p", dir, "-e", Path.Combine(dir, "error.log"), "-c", conf],
            Path.Combine(host.RunDir, "nginx.out"));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new LabException($"{host.Name}: nginx exited, see {dir}/error.log");
            var r = Sh.Try("ip", "netns", "exec", host.Netns, "ss", "-Hltn", "sport = :80");
            if (r.ExitCode == 0 && r.StdOut.Trim().Length > 0) return p;
            Thread.Sleep(50);
        }
        throw new LabException($"{host.Name}: nginx not listening on :80 after 5 s");
    }
}
