using System.Text;
using KeepSharp.Vrrp;
using KeepSharp.Vrrp.StateMachine;
using KeepSharp.Vrrp.Sync;
using KeepSharp.Vrrp.Wire;

namespace KeepSharp.Simulation;

/// <summary>
/// N <see cref="VrrpRouter"/>s on one virtual multicast LAN, run by a discrete-event loop in virtual time:
/// the clock jumps to the earliest router deadline or packet delivery, nothing else moves it. Adverts are
/// really encoded (IPv4 header + VRRPv2/v3) and decoded on each receiver. Loss, delay, jitter and
/// partitions all draw from one seeded <see cref="Random"/>, so a seed replays a run exactly.
/// </summary>
public sealed class SimulatedLan : IVrrpRouterActions, ISyncGroupActions
{
    public static readonly long Start = TimeSpan.FromSeconds(10_000).Ticks;
    public static readonly VrrpAddress Group = VrrpAddress.FromIPAddress(VrrpWire.MulticastGroupIPv4);
    public static readonly VrrpAddress VirtualAddress = VrrpAddress.Parse("10.0.0.254");
    private static readonly byte[] Password = "kssim"u8.ToArray();

    private readonly List<SimulatedNode> _nodes = [];
    private readonly Dictionary<VrrpRouter, SimulatedNode> _byRouter = [];
    private readonly PriorityQueue<Delivery, (long At, long Sequence)> _inFlight = new();
    private readonly Dictionary<int, long> _dualMasterSince = [];
    private readonly Dictionary<(int From, int To), long> _lastArrival = [];
    private long _sequence;

    /// <summary>One copy of an advert on its way: an IPv4 datagram (header included), or an IPv6 message with its addresses.</summary>
    private sealed record Delivery(SimulatedNode From, SimulatedNode To, byte[] Bytes, VrrpAddress Source, VrrpAddress Destination, byte HopLimit);

    public SimulatedLan(int seed, int version = 2, TimeSpan? advertisementInterval = null)
    {
        Seed = seed;
        Version = version;
        Random = new Random(seed);
        Time = new VirtualTimeProvider(Start);
        AdvertisementInterval = advertisementInterval ?? TimeSpan.FromSeconds(1);
    }

    public int Seed { get; }
    public int Version { get; }
    public TimeSpan AdvertisementInterval { get; }
    public Random Random { get; }
    public VirtualTimeProvider Time { get; }
    public long Now => Time.Now;
    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>Probability that one copy of a packet (to one receiver) is lost.</summary>
    public double LossProbability { get; set; }

    /// <summary>Every delivery takes BaseDelay plus a uniform share of Jitter (but keeps per-link order).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(0.1);
    public TimeSpan Jitter { get; set; } = TimeSpan.FromMilliseconds(0.5);
    public long MaxDelay => BaseDelay.Ticks + Jitter.Ticks;

    /// <summary>Every send, delivery, loss, transition and address change, in order: the run's fingerprint.</summary>
    public List<string> Trace { get; } = [];

    public List<DualMasterEpisode> DualMasterEpisodes { get; } = [];

    public long Events { get; private set; }

    /// <summary>
    /// True (the default): an advert that the receive path drops is a bug in the test, and throws. False: drops are
    /// what is being studied (a misconfigured cluster); each is recorded in <see cref="SimulatedNode.Drops"/>.
    /// </summary>
    public bool StrictReceive { get; set; } = true;

    /// <summary>
    /// Adds a router as configured: its settings, how its adverts travel, and the host it runs on (by default its
    /// own). Unicast adverts reach the nodes whose address is a peer; multicast adverts every node of the family.
    /// </summary>
    public SimulatedNode Add(VrrpRouterSettings settings, VrrpTransportSettings transport, string? host = null, VrrpTransitionQueue? transitions = null)
    {
        var node = new SimulatedNode(_nodes.Count, new VrrpRouter(settings, Time, this, transitions), transport, host ?? settings.Name);
        _nodes.Add(node);
        _byRouter.Add(node.Router, node);
        return node;
    }

    public SimulatedNode Add(byte priority, VrrpAddress address, bool preempt = true, byte virtualRouterId = 51, VrrpTransitionQueue? transitions = null)
    {
        var settings = new VrrpRouterSettings
        {
            Name = $"r{_nodes.Count}",
            VirtualRouterId = virtualRouterId,
            Priority = priority,
            Version = Version,
            AdvertisementInterval = AdvertisementInterval,
            Preempt = preempt,
            PrimaryAddress = address,
            VirtualAddresses = [VirtualAddress],
            AuthenticationType = Version == 2 ? VrrpAuthenticationType.SimpleTextPassword : VrrpAuthenticationType.None,
            AuthenticationData = Version == 2 ? [.. Password, 0, 0, 0] : new byte[8],
        };
        return Add(settings, VrrpTransportSettings.Multicast(Group), transitions: transitions);
    }

    /// <summary>A LAN of <paramref name="count"/> routers with random priorities (ties likely) and distinct random addresses.</summary>
    public static SimulatedLan CreateRandom(int seed, int count, int version, Func<SimulatedLan, int, bool>? preempt = null)
    {
        var random = new Random(unchecked(seed * 7919 + 17));
        TimeSpan interval = version == 3 && random.Next(2) == 0 ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(1);
        var lan = new SimulatedLan(seed, version, interval);
        int[] hosts = Enumerable.Range(1, 250).OrderBy(_ => random.Next()).Take(count).ToArray();
        for (int i = 0; i < count; i++)
        {
            byte priority = (byte)(random.Next(1, 5) * 50 + random.Next(2)); // 50, 51, 100, 101, ...: many ties
            lan.Add(priority, VrrpAddress.Parse($"10.0.0.{hosts[i]}"), preempt?.Invoke(lan, i) ?? true);
        }
        return lan;
    }

    public string Describe() =>
        $"seed={Seed} v{Version} interval={AdvertisementInterval.TotalMilliseconds}ms loss={LossProbability} delay={BaseDelay.TotalMilliseconds}+{Jitter.TotalMilliseconds}ms t={Seconds(Now - Start):F6}s nodes=[{string.Join(", ", _nodes)}]";

    public static double Seconds(long ticks) => (double)ticks / TimeSpan.TicksPerSecond;

    // ---- control ------------------------------------------------------------------------------

    public void StartAll()
    {
        foreach (SimulatedNode node in _nodes)
            node.Router.Start();
        AfterEvent();
    }

    /// <summary>Splits the LAN: each group is a partition; nodes not named stay in partition 0.</summary>
    public void Partition(params IEnumerable<SimulatedNode>[] groups)
    {
        // A new topology starts a new convergence: close the open dual-master episodes here, and open
        // new ones (from now) where the new partitions have several masters.
        foreach ((int key, long since) in _dualMasterSince)
            DualMasterEpisodes.Add(new(since, Now, $"partition {key} (until repartitioned)"));
        _dualMasterSince.Clear();
        foreach (SimulatedNode node in _nodes)
            node.Partition = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            foreach (SimulatedNode node in groups[g])
                node.Partition = g + 1;
        }
        Trace.Add($"{Now} partition {string.Join(" | ", _nodes.GroupBy(n => n.Partition).Select(g => string.Join(",", g.Select(n => n.Name))))}");
        AfterEvent();
    }

    public void Heal() => Partition();

    public void Shutdown(SimulatedNode node)
    {
        node.Router.Shutdown(); // its priority-0 advert leaves before it detaches
        node.Attached = false;
        AfterEvent();
    }

    public void Restart(SimulatedNode node)
    {
        node.Attached = true;
        node.Router.InterfaceUp(); // attached again: its interface is up (only recorded while stopped)
        node.Router.Start();
        AfterEvent();
    }

    /// <summary>The node's host is lost: it neither sends nor receives, and its router is not told (no resignation, no FAULT).</summary>
    public void Disconnect(SimulatedNode node)
    {
        node.Attached = false;
        AfterEvent();
    }

    public void InterfaceDown(SimulatedNode node)
    {
        node.Attached = false;
        node.Router.InterfaceDown();
        AfterEvent();
    }

    public void InterfaceUp(SimulatedNode node)
    {
        node.Attached = true;
        node.Router.InterfaceUp();
        AfterEvent();
    }

    /// <summary>A <c>vrrp_sync_group</c> of nodes that share one transition queue (one keepalived process).</summary>
    public SyncGroup AddSyncGroup(string name, params SimulatedNode[] members) =>
        new(name, members.Select(m => m.Router).ToArray(), this);

    /// <summary>Every group transition: (time, group, from, to).</summary>
    public List<(long Time, string Group, VrrpState From, VrrpState To)> GroupTransitions { get; } = [];

    /// <summary>Runs an outside event (a tracker result handed to a router) and keeps the bookkeeping.</summary>
    public void Act(Action action)
    {
        action();
        AfterEvent();
    }

    // ---- the event loop -----------------------------------------------------------------------

    public void RunFor(TimeSpan duration) => RunUntil(Now + duration.Ticks);

    /// <summary>
    /// Runs until the next advert is delivered (at most <paramref name="limit"/>): a failure injected right after
    /// it meets the longest protocol wait, a full Master_Down_Interval.
    /// </summary>
    public void RunUntilNextDelivery(TimeSpan limit)
    {
        long end = Now + limit.Ticks;
        while (Now < end)
        {
            if (_inFlight.TryPeek(out _, out var key))
            {
                RunUntil(Math.Min(key.At, end));
                return;
            }
            long timer = _nodes.Count == 0 ? end : _nodes.Min(n => n.Router.NextDeadline);
            RunUntil(Math.Min(timer, end));
        }
    }

    /// <summary>Processes every event up to and including <paramref name="end"/>, then sets the clock there.</summary>
    public void RunUntil(long end)
    {
        while (true)
        {
            SimulatedNode? timerNode = null;
            long nextTimer = VrrpRouter.Never;
            foreach (SimulatedNode node in _nodes)
            {
                if (node.Router.NextDeadline < nextTimer)
                {
                    nextTimer = node.Router.NextDeadline;
                    timerNode = node;
                }
            }
            long nextPacket = _inFlight.TryPeek(out _, out var key) ? key.At : VrrpRouter.Never;
            long next = Math.Min(nextTimer, nextPacket);
            if (next > end)
                break;
            Time.AdvanceTo(Math.Max(Now, next));
            // A packet due at the same instant as a timer arrives first.
            if (nextPacket <= nextTimer)
            {
                Deliver(_inFlight.Dequeue());
            }
            else
            {
                timerNode!.Router.OnTimer();
                if (timerNode.Router.NextDeadline <= Now)
                    throw new InvalidOperationException($"{timerNode} did not move its deadline past now; {Describe()}");
            }
            Events++;
            AfterEvent();
        }
        Time.AdvanceTo(Math.Max(Now, end));
    }

    private void Deliver(Delivery delivery)
    {
        SimulatedNode to = delivery.To;
        if (!to.Attached || to.Partition != delivery.From.Partition)
        {
            Trace.Add($"{Now} {to.Name} cut {delivery.From.Name}");
            return;
        }
        VrrpPacket packet;
        if (delivery.Source.IsIPv6)
            packet = new VrrpPacket(delivery.Source, delivery.Destination, delivery.HopLimit, VrrpWire.IpProtocol, delivery.Bytes);
        else if (!VrrpPacket.TryReadIPv4(delivery.Bytes, out packet))
            throw new InvalidOperationException($"{to} could not read the IPv4 header of {Convert.ToHexString(delivery.Bytes)}; {Describe()}");
        VrrpDropReason read = VrrpAdvertisement.TryReadMessage(packet.Message, packet.Source, out VrrpAdvertisement advert);
        if (read != VrrpDropReason.None)
            throw new InvalidOperationException($"{to} could not read {Convert.ToHexString(delivery.Bytes)}: {read}; {Describe()}");
        byte priority = advert.Priority;
        if (to.Receiver.Find(advert.VirtualRouterId) is null)
            return; // another virtual router on the LAN (the receive path would count it as UnknownVirtualRouterId)
        to.Received.Add((Now, delivery.From, priority));
        Trace.Add($"{Now} {to.Name} recv {delivery.From.Name} p{priority}");
        VrrpDropReason reason = to.Receiver.Receive(packet);
        if (reason == VrrpDropReason.None)
            return;
        if (StrictReceive)
            throw new InvalidOperationException($"{to} dropped an advert of {delivery.From}: {reason}; {Describe()}");
        to.Drops.Add((Now, delivery.From, reason));
        Trace.Add($"{Now} {to.Name} drop {delivery.From.Name} {reason}");
    }

    /// <summary>Keeps the dual-master bookkeeping after anything happened.</summary>
    private void AfterEvent()
    {
        foreach (SimulatedNode node in _nodes)
        {
            if (node.HoldsAddresses != (node.State == VrrpState.Master))
                throw new InvalidOperationException($"{node} holds addresses: {node.HoldsAddresses}; {Describe()}");
        }
        foreach (IGrouping<int, SimulatedNode> partition in _nodes.Where(n => n.Attached).GroupBy(n => n.Partition))
        {
            int masters = partition.Count(n => n.State == VrrpState.Master);
            bool dual = masters > 1;
            bool was = _dualMasterSince.TryGetValue(partition.Key, out long since);
            if (dual && !was)
                _dualMasterSince[partition.Key] = Now;
            else if (!dual && was)
            {
                _dualMasterSince.Remove(partition.Key);
                DualMasterEpisodes.Add(new(since, Now, $"partition {partition.Key}"));
            }
        }
        // Partitions that no longer exist (or lost all attached nodes) end their episode.
        foreach (int key in _dualMasterSince.Keys.ToArray())
        {
            if (!_nodes.Any(n => n.Attached && n.Partition == key))
            {
                DualMasterEpisodes.Add(new(_dualMasterSince[key], Now, $"partition {key}"));
                _dualMasterSince.Remove(key);
            }
        }
    }

    /// <summary>Episodes still open count up to now.</summary>
    public long LongestDualMaster(long since = 0) =>
        DualMasterEpisodes.Where(e => e.End >= since).Select(e => e.End - Math.Max(e.Start, since))
            .Concat(_dualMasterSince.Values.Select(s => Now - Math.Max(s, since)))
            .DefaultIfEmpty(0).Max();

    // ---- queries ------------------------------------------------------------------------------

    public IEnumerable<IGrouping<int, SimulatedNode>> Partitions => _nodes.Where(n => n.Attached).GroupBy(n => n.Partition);

    public IReadOnlyList<SimulatedNode> Masters(IEnumerable<SimulatedNode> nodes) => nodes.Where(n => n.State == VrrpState.Master).ToArray();

    /// <summary>The RFC's winner: highest priority, ties broken by the highest primary address.</summary>
    public static SimulatedNode Best(IEnumerable<SimulatedNode> nodes) =>
        nodes.OrderByDescending(n => n.Priority).ThenByDescending(n => n.Address).First();

    public int TransitionsToMaster(long since) =>
        _nodes.Sum(n => n.Transitions.Count(t => t.Time >= since && t.To == VrrpState.Master));

    /// <summary>Master_Down_Interval of a node while backup, in ticks (what the router computes).</summary>
    public long MasterDownTicks(SimulatedNode node) => node.Router.MasterDownInterval.Ticks;

    // ---- IVrrpRouterActions ---------------------------------------------------------------------

    public void SendAdvertisement(VrrpRouter router, byte priority)
    {
        SimulatedNode from = _byRouter[router];
        from.Writer.WriteMessage(priority);
        ushort identification = from.NextIdentification++;
        Trace.Add($"{Now} {from.Name} send p{priority}");
        if (!from.Attached)
            return;
        ReadOnlySpan<VrrpAddress> destinations = from.Writer.Destinations;
        for (int d = 0; d < destinations.Length; d++)
        {
            VrrpAddress destination = destinations[d];
            byte[] bytes = from.Writer.Datagram(d, identification).ToArray();
            foreach (SimulatedNode to in _nodes)
            {
                if (to == from || to.Host == from.Host || !to.Attached || to.Partition != from.Partition)
                    continue;
                if (to.Address.IsIPv6 != from.Address.IsIPv6)
                    continue; // another family: another socket, another group
                if (!destination.IsMulticast && to.Address != destination)
                    continue; // unicast: only the peer it is addressed to
                if (LossProbability > 0 && Random.NextDouble() < LossProbability)
                {
                    Trace.Add($"{Now} {to.Name} lost {from.Name}");
                    continue;
                }
                long delay = BaseDelay.Ticks + (long)(Jitter.Ticks * Random.NextDouble());
                // A LAN does not reorder the packets of one sender to one receiver: jitter never lets a
                // packet overtake an earlier one on the same link (equal times keep the send order).
                long at = Math.Max(Now + delay, _lastArrival.GetValueOrDefault((from.Index, to.Index)));
                _lastArrival[(from.Index, to.Index)] = at;
                _inFlight.Enqueue(new Delivery(from, to, bytes, from.Writer.Source, destination, from.Writer.HopLimit), (at, _sequence++));
            }
        }
    }

    public void AddVirtualAddresses(VrrpRouter router)
    {
        SimulatedNode node = _byRouter[router];
        if (node.HoldsAddresses)
            throw new InvalidOperationException($"{node} added addresses it already holds; {Describe()}");
        node.HoldsAddresses = true;
        node.AddressHistory.Add((Now, true));
        Trace.Add($"{Now} {node.Name} +vip");
    }

    public void RemoveVirtualAddresses(VrrpRouter router)
    {
        SimulatedNode node = _byRouter[router];
        if (!node.HoldsAddresses)
            throw new InvalidOperationException($"{node} removed addresses it does not hold; {Describe()}");
        node.HoldsAddresses = false;
        node.AddressHistory.Add((Now, false));
        Trace.Add($"{Now} {node.Name} -vip");
    }

    public void SendGratuitousAnnouncements(VrrpRouter router, int repeat) =>
        Trace.Add($"{Now} {_byRouter[router].Name} garp x{repeat}");

    public void StateChanged(VrrpRouter router, VrrpState from, VrrpState to, VrrpTransitionReason reason)
    {
        SimulatedNode node = _byRouter[router];
        node.Transitions.Add((Now, from, to, reason));
        Trace.Add($"{Now} {node.Name} {from}->{to} {reason}");
    }

    public void PriorityChanged(VrrpRouter router, byte from, byte to) =>
        Trace.Add($"{Now} {_byRouter[router].Name} priority {from}->{to}");

    public void MasterReceivedLowerPriority(VrrpRouter router, VrrpAddress source, byte priority) =>
        Trace.Add($"{Now} {_byRouter[router].Name} rx lower p{priority}");

    public void GroupStateChanged(SyncGroup group, VrrpState from, VrrpState to)
    {
        GroupTransitions.Add((Now, group.Name, from, to));
        Trace.Add($"{Now} group {group.Name} {from}->{to}");
    }

    public string TraceText()
    {
        var text = new StringBuilder();
        foreach (string line in Trace)
            text.AppendLine(line);
        return text.ToString();
    }
}
