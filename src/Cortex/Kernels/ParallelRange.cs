using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Cortex.Kernels;

/// <summary>
/// A minimal fork-join parallel-for for compute kernels: <c>For(count, body, state)</c> runs <c>body(i, state)</c> for
/// every i in [0, count) on the calling thread plus up to <see cref="Environment.ProcessorCount"/> − 1 dedicated
/// background workers, and returns when all are done. Items are claimed one at a time from a shared counter, so
/// uneven items balance themselves; which thread runs which item varies, so bodies must not depend on it.
/// </summary>
/// <remarks>
/// <para>
/// No allocation per call: the body is a function pointer and its state an unmanaged pointer (usually to a struct on
/// the caller's stack, which stays alive because the call blocks).
/// </para>
/// <para>
/// The caller never waits for a worker that has not started: it claims items itself, and at the end waits only for
/// items other threads are running. A worker that wakes up late (the machine is busy, or it was asleep) finds nothing
/// left to claim, and cannot claim an item of a later call: claims go through a (call, next item) ticket.
/// This matters on a busy machine: when another process holds the other cores, a worker may not run for a whole OS
/// time slice, and a caller that waited for it would take milliseconds over a microsecond product.
/// Idle workers poll for the next call for <see cref="SpinTicks"/>, so that the back-to-back calls of a training step
/// do not pay an OS wake-up each, then sleep on a semaphore. The polls are plain reads without PAUSE
/// (<see cref="Thread.SpinWait"/>): a worker then joins a call about 0.1 µs after it is published rather than 0.5 µs.
/// </para>
/// <para>
/// One call runs at a time: a call made while another is in flight (from another thread, or from inside a body)
/// runs its items serially on its own thread instead of waiting, which keeps nesting deadlock-free.
/// </para>
/// </remarks>
internal static unsafe class ParallelRange
{
    /// <summary>How long an idle worker polls for the next call before it blocks.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000; // 100 µs

    /// <summary>How long the caller polls for running items before it starts yielding its CPU.</summary>
    private static readonly long JoinSpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private sealed class Worker(int index)
    {
        public readonly int Index = index;
        public int Sleeping;
        public readonly SemaphoreSlim Wake = new(0);
    }

    private static readonly object InitLock = new();
    private static Worker[]? _workers;
    private static int _busy;

    // The call in flight. The caller writes the fields, then publishes them by raising _generation (a volatile
    // write); a worker reads _generation first (a volatile read), then the fields.
    private static nint _body;  // delegate*<int, void*, void>
    private static nint _state; // void*
    private static int _count;
    private static int _helpers;
    private static int _generation;
    /// <summary>(generation &lt;&lt; 32) | next item: an item is claimed by a compare-exchange that checks both.</summary>
    private static long _ticket;
    /// <summary>Workers between joining a call and leaving it; the caller waits for it to fall to zero.</summary>
    private static int _inFlight;
    private static Exception? _error;

    /// <summary>Threads a call may use at most: the processor count.</summary>
    public static int MaxDegree => Environment.ProcessorCount;

    /// <summary>
    /// Runs <paramref name="body"/>(i, <paramref name="state"/>) for i in [0, <paramref name="count"/>) on at most
    /// <paramref name="maxThreads"/> threads (0: all processors), the caller included. Rethrows the first exception.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
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
            int generation = _generation + 1;
            // Close the claims before rewriting the call: a late worker of the previous call that reads a mix of old
            // and new fields then fails its claim (wrong generation, or no item left), as the fence orders the writes.
            Interlocked.Exchange(ref _ticket, ((long)generation << 32) | int.MaxValue);
            _body = (nint)body;
            _state = (nint)state;
            _count = count;
            _helpers = helpers;
            _error = null;
            Volatile.Write(ref _ticket, (long)generation << 32);
            Volatile.Write(ref _generation, generation);
            for (int w = 0; w < helpers; w++)
            {
                var worker = workers[w];
                if (Interlocked.Exchange(ref worker.Sleeping, 0) == 1) worker.Wake.Release();
            }
            RunItems(generation, body, state, count);
            WaitForWorkers();
            if (_error is { } error) ExceptionDispatchInfo.Throw(error);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs items of call <paramref name="generation"/> until none is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void RunItems(int generation, delegate*<int, void*, void> body, void* state, int count)
    {
        long ticket = Volatile.Read(ref _ticket);
        while ((int)(ticket >> 32) == generation && (int)ticket < count)
        {
            long seen = Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket);
            if (seen != ticket)
            {
                ticket = seen;
                continue;
            }
            try
            {
                body((int)ticket, state);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
                // Let nobody claim more items of this call.
                long t = Volatile.Read(ref _ticket);
                while ((int)(t >> 32) == generation && (int)t < count)
                {
                    long current = Interlocked.CompareExchange(ref _ticket, ((long)generation << 32) | (uint)count, t);
                    if (current == t) break;
                    t = current;
                }
                return;
            }
            ticket = Volatile.Read(ref _ticket);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void WaitForWorkers()
    {
        if (Volatile.Read(ref _inFlight) == 0) return;
        long yieldAfter = Stopwatch.GetTimestamp() + JoinSpinTicks;
        while (Volatile.Read(ref _inFlight) != 0)
            if (Stopwatch.GetTimestamp() > yieldAfter) Thread.Yield(); // a worker was preempted: give way
    }

    private static Worker[] StartWorkers()
    {
        lock (InitLock)
        {
            if (_workers is { } existing) return existing;
            var workers = new Worker[Math.Max(0, MaxDegree - 1)];
            for (int w = 0; w < workers.Length; w++)
            {
                var worker = workers[w] = new Worker(w);
                var thread = new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"Cortex kernel worker {w + 1}" };
                thread.Start();
            }
            _workers = workers;
            return workers;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static void WorkerLoop(Worker self)
    {
        int seen = Volatile.Read(ref _generation);
        while (true)
        {
            seen = WaitForCall(self, seen);
            Interlocked.Increment(ref _inFlight);
            // Read the call after joining it: if it is already over, the ticket check in RunItems stops us.
            var body = (delegate*<int, void*, void>)Volatile.Read(ref _body);
            var state = (void*)Volatile.Read(ref _state);
            int count = Volatile.Read(ref _count);
            if (self.Index < Volatile.Read(ref _helpers)) RunItems(seen, body, state, count);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>Polls, then sleeps, until a call later than <paramref name="seen"/> is published; returns its generation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: no tier-0 code
    private static int WaitForCall(Worker self, int seen)
    {
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        int generation;
        while ((generation = Volatile.Read(ref _generation)) == seen)
        {
            if (Stopwatch.GetTimestamp() < until) continue;
            // Announce the sleep, then look again: either we see the call, or its caller sees Sleeping and wakes us.
            Interlocked.Exchange(ref self.Sleeping, 1);
            if (Volatile.Read(ref _generation) != seen)
            {
                if (Interlocked.Exchange(ref self.Sleeping, 0) == 0) self.Wake.Wait(); // a release is on its way: take it
                continue;
            }
            self.Wake.Wait();
            until = Stopwatch.GetTimestamp() + SpinTicks;
        }
        return generation;
    }
}
