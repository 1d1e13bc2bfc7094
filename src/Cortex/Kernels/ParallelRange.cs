using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Cortex.Kernels;

/// <summary>
/// A minimal fork-join parallel-for for compute kernels: <c>For(count, body, state)</c> runs <c>body(i, state)</c> for
/// every i in [0, count) on the calling thread plus up to <see cref="Environment.ProcessorCount"/> − 1 dedicated
/// background workers, and returns when all are done. Items are claimed one at a time from a shared counter, so
/// uneven items balance themselves; which thread runs which item varies, so bodies must not depend on it.
/// </summary>
/// <remarks>
/// No allocation per call: the body is a function pointer and its state an unmanaged pointer (usually to a struct on
/// the caller's stack, which stays alive because the call blocks). Workers spin briefly after each job, so that the
/// back-to-back calls of a training step do not pay an OS wake-up each, then sleep on a semaphore.
/// One job runs at a time: a call made while another is in flight (from another thread, or from inside a body)
/// runs its items serially on its own thread instead of waiting, which keeps nesting deadlock-free.
/// </remarks>
internal static unsafe class ParallelRange
{
    /// <summary>How long an idle worker keeps polling for the next job before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private sealed class Worker
    {
        public volatile int Go;
        public int Sleeping;
        public readonly SemaphoreSlim Wake = new(0);
    }

    private static readonly object InitLock = new();
    private static Worker[]? _workers;
    private static int _busy;

    // The job in flight; written by the dispatching thread before it raises the workers' Go flags.
    private static delegate*<int, void*, void> _body;
    private static void* _state;
    private static int _count;
    private static int _next;
    private static int _pending;
    private static Exception? _error;

    /// <summary>Threads a call may use at most: the processor count.</summary>
    public static int MaxDegree => Environment.ProcessorCount;

    /// <summary>
    /// Runs <paramref name="body"/>(i, <paramref name="state"/>) for i in [0, <paramref name="count"/>) on at most
    /// <paramref name="maxThreads"/> threads (0: all processors), the caller included. Rethrows the first exception.
    /// </summary>
    public static void For(int count, delegate*<int, void*, void> body, void* state, int maxThreads = 0)
    {
        if (count <= 0) return;
        int threads = maxThreads <= 0 ? MaxDegree : Math.Min(maxThreads, MaxDegree);
        threads = Math.Min(threads, count);
        if (threads <= 1 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int i = 0; i < count; i++) body(i, state);
            return;
        }
        try
        {
            var workers = _workers ?? StartWorkers();
            int helpers = Math.Min(threads - 1, workers.Length);
            _body = body;
            _state = state;
            _count = count;
            _next = 0;
            _error = null;
            _pending = helpers;
            for (int w = 0; w < helpers; w++)
            {
                var worker = workers[w];
                worker.Go = 1;
                if (Interlocked.Exchange(ref worker.Sleeping, 0) == 1) worker.Wake.Release();
            }
            RunItems();
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
            _body = null;
            _state = null;
            if (_error is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    private static void RunItems()
    {
        var body = _body;
        var state = _state;
        int count = _count;
        try
        {
            for (int i; (i = Interlocked.Increment(ref _next) - 1) < count;) body(i, state);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _error, e, null);
            Volatile.Write(ref _next, count); // the others stop claiming items
        }
    }

    private static Worker[] StartWorkers()
    {
        lock (InitLock)
        {
            if (_workers is { } existing) return existing;
            var workers = new Worker[Math.Max(0, MaxDegree - 1)];
            for (int w = 0; w < workers.Length; w++)
            {
                var worker = workers[w] = new Worker();
                var thread = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"Cortex kernel worker {w + 1}" };
                thread.Start();
            }
            _workers = workers;
            return workers;
        }
    }

    private static void WorkerLoop(Worker self)
    {
        while (true)
        {
            WaitForGo(self);
            RunItems();
            self.Go = 0;
            Interlocked.Decrement(ref _pending);
        }
    }

    private static void WaitForGo(Worker self)
    {
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        while (self.Go == 0)
        {
            if (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(20);
                continue;
            }
            // Announce the sleep, then look again: either we see Go, or the dispatcher sees Sleeping and releases us.
            Interlocked.Exchange(ref self.Sleeping, 1);
            if (self.Go != 0)
            {
                if (Interlocked.Exchange(ref self.Sleeping, 0) == 0) self.Wake.Wait(); // a release is on its way: take it
                return;
            }
            self.Wake.Wait();
            return;
        }
    }
}
