namespace KeepSharp.Config.Parsing;

/// <summary>
/// The <c>unicast_peer { ADDR [min_ttl N] [max_ttl N] ... }</c> block (keepalived vrrp_data.c alloc_vrrp_unicast_peer):
/// a malformed address is an error; a peer of the other address family is reported and skipped, as keepalived does
/// (failing <c>-t</c>); a TTL bound outside 0..255 or an unknown option is reported and the rest of the line ignored.
/// </summary>
internal static class UnicastPeerParser
{
    public static void Parse(ParseContext context, VrrpInstanceBuilder builder, ConfigStatement statement, Func<System.Net.IPAddress, ConfigLocation, bool> sameFamily)
    {
        builder.UnicastConfigured = true;
        if (!BlockHelpers.TryBlock(context, statement, out var block))
        {
            return;
        }

        string tag = $"({builder.Instance.Name})";
        foreach (var entry in block)
        {
            if (!ValueParsers.TryParseIp(entry.Name, out var address))
            {
                context.Error(entry.Location, $"{tag} invalid unicast_peer address '{entry.Name}'");
                continue;
            }

            if (!sameFamily(address, entry.Location))
            {
                continue;
            }

            var peer = new UnicastPeer(address, entry.Location);
            for (int i = 0; i < entry.Args.Count; i += 2)
            {
                string option = entry.Args[i].Text;
                if (i + 1 >= entry.Args.Count)
                {
                    context.Error(entry.Location, $"{tag} unicast_peer {address}: {option} is missing a value");
                    break;
                }

                string text = entry.Args[i + 1].Text;
                if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int ttl)
                    || ttl < UnicastPeer.MinTtlValue || ttl > UnicastPeer.MaxTtlValue)
                {
                    context.Error(entry.Location, $"{tag} unicast_peer {address}: {option} '{text}' is out of range (must be {UnicastPeer.MinTtlValue}..{UnicastPeer.MaxTtlValue})");
                    continue;
                }

                if (option == "min_ttl")
                {
                    peer = peer with { MinTtl = ttl };
                }
                else if (option == "max_ttl")
                {
                    peer = peer with { MaxTtl = ttl };
                }
                else
                {
                    context.Error(entry.Location, $"{tag} unknown unicast_peer option '{option}'");
                    break;
                }

                builder.PeerTtlGiven = true; // keepalived: a TTL bound turns on check_unicast_src
            }

            if ((peer.MinTtl ?? UnicastPeer.MinTtlValue) > (peer.MaxTtl ?? UnicastPeer.MaxTtlValue))
            {
                // keepalived: "min_ttl X > max_ttl Y - all packets will be discarded" (fails -t).
                context.Warning(entry.Location, $"{tag} unicast_peer {address}: min_ttl {peer.MinTtl} > max_ttl {peer.MaxTtl} - all packets will be discarded");
            }

            builder.UnicastPeers.Add(peer);
        }
    }
}
