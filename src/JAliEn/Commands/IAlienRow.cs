namespace Toolkit.JAliEn;

/// <summary>
/// A generated (or hand-written) result row: reads itself from the current <c>results[i]</c> object of a reply.
/// </summary>
/// <typeparam name="TSelf">The row type.</typeparam>
public interface IAlienRow<TSelf>
    where TSelf : class, IAlienRow<TSelf>
{
    /// <summary>
    /// Reads the row object the cursor is on (its <c>{</c> was read): calls <see cref="AlienJsonCursor.NextField"/>
    /// until it returns false, reading or skipping each value. Returns null when a required field is missing (after
    /// <see cref="AlienJsonCursor.MissingField"/>).
    /// </summary>
    /// <param name="cursor">The cursor.</param>
    /// <returns>The row, or null.</returns>
    static abstract TSelf? Read(ref AlienJsonCursor cursor);
}
