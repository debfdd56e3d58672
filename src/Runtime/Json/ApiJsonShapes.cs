using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Toolkit.Runtime.Json;

/// <summary>
/// The branches of an undiscriminated union of objects, told apart by the members each requires: what a generated
/// union reads an object with. A branch is a candidate when every member it requires is present; of the candidates,
/// the one that requires the most members wins (the first declared among equals). The generator only builds a union
/// where a value written from one branch can never make another branch win, so round trips are exact.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public sealed class ApiJsonShapes
{
    private readonly string _type;
    private readonly string[] _labels;
    private readonly byte[][] _names;
    private readonly string[] _nameTexts;
    private readonly int[][] _required;
    private readonly int[] _order;

    /// <summary>Describes the branches.</summary>
    /// <param name="type">The union type, named in errors.</param>
    /// <param name="labels">Each branch's name, named in errors.</param>
    /// <param name="required">Each branch's required member names (JSON names, unescaped).</param>
    /// <exception cref="ArgumentException">The two lists differ in length, or there is no branch.</exception>
    public ApiJsonShapes(string type, string[] labels, string[][] required)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(required);
        if (labels.Length != required.Length || labels.Length == 0)
        {
            throw new ArgumentException("one label per branch, and at least one branch", nameof(labels));
        }

        _type = type;
        _labels = labels;
        var names = new List<string>();
        _required = new int[required.Length][];
        for (var b = 0; b < required.Length; b++)
        {
            _required[b] = required[b].Distinct(StringComparer.Ordinal).Select(n =>
            {
                var i = names.IndexOf(n);
                if (i < 0)
                {
                    names.Add(n);
                    i = names.Count - 1;
                }

                return i;
            }).ToArray();
        }

        _nameTexts = names.ToArray();
        _names = names.Select(n => Encoding.UTF8.GetBytes(n)).ToArray();
        _order = Enumerable.Range(0, required.Length).OrderByDescending(b => _required[b].Length).ThenBy(b => b).ToArray();
    }

    /// <summary>Chooses the branch of the object at the reader, without moving the caller's reader.</summary>
    /// <param name="reader">A copy of the reader, on the value's first token.</param>
    /// <returns>The index of the branch, in declaration order.</returns>
    /// <exception cref="JsonException">The value is not an object, or it lacks a member every branch requires (the message names the byte offset).</exception>
    public int Choose(ApiJsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw ApiJson.Error(ref reader, _type + ": expected an object, found " + reader.TokenType.ToString());
        }

        var start = reader;
        var depth = reader.CurrentDepth;
        Span<bool> seen = _names.Length <= 128 ? stackalloc bool[_names.Length] : new bool[_names.Length];
        seen.Clear();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth)
            {
                break;
            }

            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1)
            {
                for (var i = 0; i < _names.Length; i++)
                {
                    if (!seen[i] && reader.ValueTextEquals(_names[i]))
                    {
                        seen[i] = true;
                        break;
                    }
                }
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        foreach (var b in _order)
        {
            var all = true;
            foreach (var i in _required[b])
            {
                if (!seen[i])
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return b;
            }
        }

        throw ApiJson.Error(ref start, _type + ": the object that starts here matches no branch (" + Needs(seen) + ")");
    }

    private string Needs(ReadOnlySpan<bool> seen)
    {
        var sb = new StringBuilder();
        for (var b = 0; b < _labels.Length; b++)
        {
            var first = true;
            foreach (var i in _required[b])
            {
                if (seen[i])
                {
                    continue;
                }

                if (first)
                {
                    sb.Append(sb.Length > 0 ? "; " : string.Empty).Append(_labels[b]).Append(" lacks ");
                    first = false;
                }
                else
                {
                    sb.Append(", ");
                }

                sb.Append('\'').Append(_nameTexts[i]).Append('\'');
            }
        }

        return sb.ToString();
    }
}
