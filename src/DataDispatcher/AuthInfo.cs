using System;

namespace Toolkit.DataDispatcher;

/// <summary>Who the current token belongs to and until when it is valid (the seed's <c>auth_info()</c>).</summary>
/// <param name="User">The token's subject.</param>
/// <param name="ExpiresAt">The token's expiry, if it has one.</param>
public sealed record AuthInfo(string? User, DateTimeOffset? ExpiresAt);
