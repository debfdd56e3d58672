namespace Toolkit.Runtime.Http;

/// <summary>The result of an operation's <c>WithResponse</c> form: status, headers and decoded value.</summary>
/// <typeparam name="T">The decoded body type.</typeparam>
/// <param name="StatusCode">The HTTP status code (e.g. 207 for a multi-status answer).</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Value">The decoded body.</param>
public sealed record ApiResponse<T>(int StatusCode, ApiHeaders Headers, T Value);
