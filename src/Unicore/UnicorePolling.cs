using System;
using System.Threading;
using System.Threading.Tasks;

namespace Toolkit.Unicore;

/// <summary>Polls a resource with growing delays until it is done or the timeout runs out.</summary>
internal static class UnicorePolling
{
    public static async Task<T> WaitAsync<T>(UnicoreHttp http, Uri url, Func<CancellationToken, Task<T>> get, Func<T, bool> done, Func<T, string> describe, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var time = http.Time;
        var delay = http.Options.PollInitialDelay;
        long start = time.GetTimestamp();
        while (true)
        {
            var current = await get(cancellationToken).ConfigureAwait(false);
            if (done(current))
            {
                return current;
            }

            var elapsed = time.GetElapsedTime(start);
            if (timeout is { } limit && elapsed + delay > limit)
            {
                var rest = limit - elapsed;
                if (rest <= TimeSpan.Zero)
                {
                    throw new TimeoutException(url + " is still " + describe(current) + " after " + limit.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s");
                }

                delay = rest;
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(http.Options.PollMaxDelay.Ticks, (long)(delay.Ticks * 1.5)));
        }
    }
}
