using KeepSharp.Daemon.Logging;

namespace KeepSharp.Tests.Daemon;

/// <summary>The log's queue and its emergency path: nothing thrown at a writer, nothing lost at a crash.</summary>
public sealed class LogTests
{
    [Fact]
    public void Writes_racing_dispose_from_other_threads_are_dropped_not_thrown()
    {
        // The old check-then-add (`if (!IsAddingCompleted) Add(...)`) threw InvalidOperationException when
        // CompleteAdding fell between the check and the add; writers keep writing across Dispose to hit that window.
        for (int round = 0; round < 50; round++)
        {
            var log = new Log([new RecordingSink()], detail: false);
            var failures = new List<Exception>();
            using var go = new ManualResetEventSlim();
            bool stop = false;
            Thread[] writers = [.. Enumerable.Range(0, 3).Select(_ => new Thread(() =>
            {
                go.Wait();
                try
                {
                    while (!Volatile.Read(ref stop))
                        log.Info("line");
                }
                catch (Exception e)
                {
                    lock (failures)
                        failures.Add(e);
                }
            }))];
            foreach (Thread writer in writers)
                writer.Start();
            go.Set();
            Thread.Sleep(1);
            log.Dispose();
            Volatile.Write(ref stop, true);
            foreach (Thread writer in writers)
                writer.Join();
            Assert.True(failures.Count == 0, $"round {round}: a write racing Dispose threw: {failures.FirstOrDefault()}");
        }
    }

    [Fact]
    public void Fatal_flushes_the_queue_in_order_then_writes_synchronously()
    {
        var sink = new RecordingSink();
        using var log = new Log([sink], detail: false);
        for (int i = 0; i < 1000; i++)
            log.Info($"queued {i}");

        log.Fatal("Event loop failed");

        // Everything is in the sink when Fatal returns, queued lines first.
        string[] lines = sink.Lines;
        Assert.Equal(1001, lines.Length);
        Assert.Equal([.. Enumerable.Range(0, 1000).Select(i => $"queued {i}"), "Event loop failed"], lines);

        // From then on every line is written before Write returns.
        log.Info("(VI_1) sent 0 priority");
        Assert.Equal("(VI_1) sent 0 priority", sink.Lines[^1]);
    }

    [Fact]
    public void Nothing_is_written_or_thrown_after_dispose()
    {
        var sink = new RecordingSink();
        var log = new Log([sink], detail: false);
        log.Info("before");
        log.Dispose();

        log.Info("after");
        log.Fatal("fatal after");

        Assert.Equal(["before"], sink.Lines);
    }
}
