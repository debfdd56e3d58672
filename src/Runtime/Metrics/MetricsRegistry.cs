using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Toolkit.Runtime.Metrics;

/// <summary>
/// Metrics in the Prometheus text exposition format (version 0.0.4): counters and gauges read through callbacks at
/// scrape time, and <see cref="LatencyHistogram"/>s. Knows nothing of any protocol; callers register their own names.
/// Registration and scraping are thread-safe; the callbacks run on the scraping thread.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly object _gate = new();
    private readonly List<Family> _families = [];

    /// <summary>Registers a counter (a value that only goes up).</summary>
    /// <param name="name">Metric name (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>); by convention ends in <c>_total</c>.</param>
    /// <param name="help">One line of help text.</param>
    /// <param name="value">Read at scrape time.</param>
    public void Counter(string name, string help, Func<double> value) => Add(name, help, "counter", value, null);

    /// <summary>Registers a gauge (a value that goes up and down).</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="help">One line of help text.</param>
    /// <param name="value">Read at scrape time.</param>
    public void Gauge(string name, string help, Func<double> value) => Add(name, help, "gauge", value, null);

    /// <summary>Registers a counter with one series per value of one label (<c>name{label="v"} n</c>).</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="help">One line of help text.</param>
    /// <param name="label">Label name (<c>[a-zA-Z_][a-zA-Z0-9_]*</c>, not starting with <c>__</c>).</param>
    /// <param name="labelValues">The label's values, one series each (escaped on output).</param>
    /// <param name="value">Read at scrape time with the index of the label value.</param>
    public void Counter(string name, string help, string label, IReadOnlyList<string> labelValues, Func<int, double> value) => AddLabelled(name, help, "counter", label, labelValues, value);

    /// <summary>Registers a gauge with one series per value of one label.</summary>
    /// <param name="name">Metric name.</param>
    /// <param name="help">One line of help text.</param>
    /// <param name="label">Label name.</param>
    /// <param name="labelValues">The label's values, one series each.</param>
    /// <param name="value">Read at scrape time with the index of the label value.</param>
    public void Gauge(string name, string help, string label, IReadOnlyList<string> labelValues, Func<int, double> value) => AddLabelled(name, help, "gauge", label, labelValues, value);

    private void AddLabelled(string name, string help, string type, string label, IReadOnlyList<string> labelValues, Func<int, double> value)
    {
        ArgumentNullException.ThrowIfNull(labelValues);
        ArgumentNullException.ThrowIfNull(value);
        if (!IsValidName(label) || label.Contains(':', StringComparison.Ordinal) || label.StartsWith("__", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{label}' is not a Prometheus label name", nameof(label));
        }

        string[] series = new string[labelValues.Count];
        for (int i = 0; i < series.Length; i++)
        {
            string v = labelValues[i] ?? throw new ArgumentException("a label value is null", nameof(labelValues));
            series[i] = "{" + label + "=\"" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"}";
        }

        Add(name, help, type, null, null, series, value);
    }

    /// <summary>Registers a histogram.</summary>
    /// <param name="name">Metric name (the <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series are derived from it).</param>
    /// <param name="help">One line of help text.</param>
    /// <param name="histogram">The histogram.</param>
    public void Histogram(string name, string help, LatencyHistogram histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        Add(name, help, "histogram", null, histogram);
    }

    private void Add(string name, string help, string type, Func<double>? value, LatencyHistogram? histogram, string[]? series = null, Func<int, double>? indexed = null)
    {
        ArgumentNullException.ThrowIfNull(help);
        if (!IsValidName(name))
        {
            throw new ArgumentException($"'{name}' is not a Prometheus metric name", nameof(name));
        }

        lock (_gate)
        {
            foreach (Family f in _families)
            {
                if (f.Name == name)
                {
                    throw new ArgumentException($"metric '{name}' is registered twice", nameof(name));
                }
            }

            _families.Add(new Family(name, help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal), type, value, histogram, series, indexed));
        }
    }

    /// <summary>True when <paramref name="name"/> is a valid metric name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>Whether Prometheus accepts it.</returns>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_' && c != ':')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes every metric in the text exposition format.</summary>
    /// <returns>The exposition text.</returns>
    public string Scrape()
    {
        var sb = new StringBuilder(4096);
        Family[] families;
        lock (_gate)
        {
            families = [.. _families];
        }

        foreach (Family f in families)
        {
            sb.Append("# HELP ").Append(f.Name).Append(' ').Append(f.Help).Append('\n');
            sb.Append("# TYPE ").Append(f.Name).Append(' ').Append(f.Type).Append('\n');
            if (f.Histogram is { } h)
            {
                h.Write(sb, f.Name);
                continue;
            }

            if (f.Series is { } series)
            {
                for (int i = 0; i < series.Length; i++)
                {
                    sb.Append(f.Name).Append(series[i]).Append(' ').Append(Format(Read(() => f.Indexed!(i)))).Append('\n');
                }

                continue;
            }

            sb.Append(f.Name).Append(' ').Append(Format(Read(f.Value!))).Append('\n');
        }

        return sb.ToString();
    }

    private static double Read(Func<double> value)
    {
        try
        {
            return value();
        }
        catch (InvalidOperationException)
        {
            // A collection read while another thread changes it: report NaN rather than fail the whole scrape.
            return double.NaN;
        }
    }

    internal static string Format(double v) => double.IsNaN(v) ? "NaN"
        : double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : v.ToString("R", CultureInfo.InvariantCulture);

    private sealed record Family(string Name, string Help, string Type, Func<double>? Value, LatencyHistogram? Histogram, string[]? Series, Func<int, double>? Indexed);
}
