using System.Globalization;
using KeepSharp.Lab;

namespace KeepSharp.IntegrationTests.Cluster;

/// <summary>
/// One host of a generated cluster: its lab address (10.51.0.<see cref="Octet"/>, router_id keep_<see cref="Octet"/>)
/// and its one VRRP instance (VRID 51, VRRPv3, advert_int 0.1 s, mcast_src_ip its lab address so ties are decidable).
/// </summary>
/// <param name="ScriptWeight">A <c>vrrp_script chk</c> with this weight (interval 1, fall 1, rise 1) that succeeds
/// while the file <c>ok</c> exists in the host's run folder; null: no script.</param>
/// <param name="FileWeight">A <c>vrrp_track_file flag</c> (the file <c>flag</c> in the run folder, 0 when healthy)
/// with this weight; null: none.</param>
internal sealed record ClusterHostSpec(int Octet, string State, int Priority, string Vip = "10.51.0.161", bool Nopreempt = false,
    int? ScriptWeight = null, int? FileWeight = null)
{
    public const double AdvertInterval = 0.1;
    public const int ScriptInterval = 1, ScriptFall = 1, ScriptRise = 1;

    public string Name => $"keep_{Octet}";
    public string Address => $"{LabTopology.Subnet}.{Octet}";

    public static string OkFile(LabHost host) => Path.Combine(host.RunDir, "ok");
    public static string FlagFile(LabHost host) => Path.Combine(host.RunDir, "flag");

    public string Config(LabHost host)
    {
        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        string scripts = ScriptWeight is int sw ? $$"""
            vrrp_script chk {
                script "/usr/bin/test -e {{OkFile(host)}}"
                interval {{ScriptInterval}}
                timeout 1
                fall {{ScriptFall}}
                rise {{ScriptRise}}
                weight {{I(sw)}}
            }
            """ : "";
        string files = FileWeight is int fw ? $$"""
            vrrp_track_file flag {
                file {{FlagFile(host)}}
                weight {{I(fw)}}
            }
            """ : "";
        string tracking = (ScriptWeight is null ? "" : "track_script {\n        chk\n    }\n    ")
                          + (FileWeight is null ? "" : "track_file {\n        flag\n    }\n    ");
        return $$"""
            global_defs {
               router_id {{Name}}
            }
            {{scripts}}
            {{files}}
            vrrp_instance VI_1 {
                state {{State}}
                interface {{LabTopology.Interface}}
                virtual_router_id 51
                priority {{I(Priority)}}
                version 3
                advert_int {{AdvertInterval.ToString(CultureInfo.InvariantCulture)}}
                mcast_src_ip {{Address}}
                {{(Nopreempt ? "nopreempt" : "")}}
                {{tracking}}
                virtual_ipaddress {
                    {{Vip}}/32
                }
            }

            """;
    }
}
