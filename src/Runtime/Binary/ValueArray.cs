using System;
using System.Collections;
using System.Collections.Generic;

namespace Toolkit.Runtime.Binary;

/// <summary>An immutable list with value equality (element by element), used for arrays in generated models.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    private readonly T[] _items;

    private ValueArray(T[] items) => _items = items;

    internal static readonly ValueArray<T> EmptyInstance = new(Array.Empty<T>());

    /// <summary>Creates a list that owns <paramref name="items"/> (the caller must not change it afterwards).</summary>
    /// <param name="items">The array.</param>
    /// <param name="owned">Marker: the array is owned.</param>
    internal ValueArray(T[] items, bool owned)
        : this(items)
    {
        _ = owned;
    }

    /// <summary>Number of elements.</summary>
    public int Count => _items.Length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based index.</param>
    public T this[int index] => _items[index];

    /// <summary>The elements as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ValueArray<T>? other)
    {
        if (other is null || other._items.Length != _items.Length)
        {
            return false;
        }

        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueArray<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    /// <summary>Compares element by element.</summary>
    /// <param name="left">First list.</param>
    /// <param name="right">Second list.</param>
    /// <returns>True when both are null or equal.</returns>
    public static bool operator ==(ValueArray<T>? left, ValueArray<T>? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares element by element.</summary>
    /// <param name="left">First list.</param>
    /// <param name="right">Second list.</param>
    /// <returns>True when different.</returns>
    public static bool operator !=(ValueArray<T>? left, ValueArray<T>? right) => !(left == right);
}

/// <summary>Factories for <see cref="ValueArray{T}"/>.</summary>
public static class ValueArray
{
    /// <summary>The empty list.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <returns>The shared empty list.</returns>
    public static ValueArray<T> Empty<T>() => ValueArray<T>.EmptyInstance;

    /// <summary>Creates a list holding a copy of <paramref name="items"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements.</param>
    /// <returns>The list.</returns>
    public static ValueArray<T> Create<T>(params ReadOnlySpan<T> items) =>
        items.IsEmpty ? ValueArray<T>.EmptyInstance : new ValueArray<T>(items.ToArray(), true);

    /// <summary>Creates a list from a sequence.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="items">The elements.</param>
    /// <returns>The list.</returns>
    public static ValueArray<T> From<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var array = System.Linq.Enumerable.ToArray(items);
        return array.Length == 0 ? ValueArray<T>.EmptyInstance : new ValueArray<T>(array, true);
    }
}
