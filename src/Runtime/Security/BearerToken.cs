using System;

namespace Toolkit.Runtime.Security;

/// <summary>
/// A bearer token and where it came from. <see cref="ToString"/> never shows the token, so it is safe to log.
/// </summary>
public sealed class BearerToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The token text (surrounding whitespace is removed).</param>
    /// <param name="source">Where it came from, e.g. <c>BEARER_TOKEN_FILE=/run/user/1000/bt_u1000</c>.</param>
    public BearerToken(string value, string source)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(source);
        Value = value.Trim();
        if (Value.Length == 0)
        {
            throw new CredentialException("the bearer token is empty", source);
        }
        Source = source;
    }

    /// <summary>The token text. Never log it.</summary>
    public string Value { get; }

    /// <summary>Where the token came from.</summary>
    public string Source { get; }

    /// <summary>The decoded claims when the token is a JWT, else null (opaque token).</summary>
    /// <returns>The claims or null.</returns>
    public JwtInfo? TryInspect() => JwtInfo.TryParse(Value, out var info) ? info : null;

    /// <summary>The decoded claims when the token is a JWT, null when it is opaque; unlike <see cref="TryInspect"/> a JWT
    /// whose <c>exp</c>, <c>nbf</c> or <c>iat</c> is not a NumericDate is an error, not an opaque token.</summary>
    /// <returns>The claims or null.</returns>
    /// <exception cref="JwtClaimException">A time claim is invalid; the message names the claim and <see cref="Source"/>.</exception>
    public JwtInfo? Inspect()
    {
        try
        {
            return JwtInfo.Parse(Value);
        }
        catch (JwtClaimException e)
        {
            throw new JwtClaimException(e.Claim, e.Message, Source);
        }
        catch (CredentialException)
        {
            return null;
        }
    }

    /// <summary>A redacted description.</summary>
    /// <returns>Text naming the source only.</returns>
    public override string ToString() => $"bearer token from {Source} (redacted)";
}
