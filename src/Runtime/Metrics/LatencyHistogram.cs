using System;
using System.Globalization;
using System.Text;
using System.Threading;

namespace Toolkit.Runtime.Metrics;

/// <summary>
/// A Prometheus histogram of durations in seconds with fixed upper bounds; <see cref="Observe(double)"/> is lock-free and
/// allocation-free. Also answers approximate quantiles (the upper bound of the bucket holding the quantile).
/// </summary>
public sealed class LatencyHistogram
{
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private long _sumMicros;

    /// <summary>Creates a histogram.</summary>
    /// <param name="bounds">Ascending bucket upper bounds in seconds; null for 100 µs .. ~105 s by powers of two.</param>
    public LatencyHistogram(double[]? bounds = null)
    {
        _bounds = bounds ?? Exponential(0.0001, 2, 21);
        for (int i = 1; i < _bounds.Length; i++)
        {
            if (!(_bounds[i] > _bounds[i - 1]))
            {
                throw new ArgumentException("bucket bounds must ascend", nameof(bounds));
            }
        }

        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Bounds <c>start, start*factor, ...</c> (<paramref name="count"/> of them).</summary>
    /// <param name="start">First bound.</param>
    /// <param name="factor">Growth factor (&gt; 1).</param>
    /// <param name="count">How many bounds.</param>
    /// <returns>The bounds.</returns>
    public static double[] Exponential(double start, double factor, int count)
    {
        var b = new double[count];
        double v = start;
        for (int i = 0; i < count; i++)
        {
            b[i] = v;
            v *= factor;
        }

        return b;
    }

    /// <summary>Observations so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Sum of the observations in seconds.</summary>
    public double Sum => Interlocked.Read(ref _sumMicros) / 1e6;

    /// <summary>Records one duration.</summary>
    /// <param name="seconds">The duration in seconds.</param>
    public void Observe(double seconds)
    {
        int i = Array.BinarySearch(_bounds, seconds);
        if (i < 0)
        {
            i = ~i;
        }

        Interlocked.Increment(ref _counts[i]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
    }

    /// <summary>Records one duration.</summary>
    /// <param name="elapsed">The duration.</param>
    public void Observe(TimeSpan elapsed) => Observe(elapsed.TotalSeconds);

    /// <summary>The upper bound of the bucket holding quantile <paramref name="q"/> (NaN when empty, +Inf past the last bound).</summary>
    /// <param name="q">A quantile in [0, 1].</param>
    /// <returns>Seconds.</returns>
    public double Quantile(double q)
    {
        long total = Count;
        if (total == 0)
        {
            return double.NaN;
        }

        long rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank && seen > 0)
            {
                return i < _bounds.Length ? _bounds[i] : double.PositiveInfinity;
            }
        }

        return double.PositiveInfinity;
    }

    internal void Write(StringBuilder sb, string name)
    {
        long cumulative = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            string le = i < _bounds.Length ? MetricsRegistry.Format(_bounds[i]) : "+Inf";
            sb.Append(name).Append("_bucket{le=\"").Append(le).Append("\"} ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        sb.Append(name).Append("_sum ").Append(MetricsRegistry.Format(Sum)).Append('\n');
        sb.Append(name).Append("_count ").Append(cumulative.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }
}
