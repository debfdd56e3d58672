using System;
using System.Net.Http;

namespace Toolkit.Runtime.Http;

/// <summary>Chains <see cref="DelegatingHandler"/>s (outermost first) in front of a transport handler.</summary>
public static class HttpPipeline
{
    /// <summary>Links the handlers: <c>handlers[0]</c> sees the request first, <paramref name="transport"/> last.</summary>
    /// <param name="transport">The innermost handler, e.g. a <see cref="SocketsHttpHandler"/>.</param>
    /// <param name="handlers">The handlers, outermost first (each must be new: a handler has one inner handler).</param>
    /// <returns>The outermost handler.</returns>
    public static HttpMessageHandler Create(HttpMessageHandler transport, params DelegatingHandler[] handlers)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(handlers);
        var inner = transport;
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            if (handlers[i].InnerHandler is not null)
            {
                throw new ArgumentException("handler " + i + " is already part of a pipeline", nameof(handlers));
            }

            handlers[i].InnerHandler = inner;
            inner = handlers[i];
        }

        return inner;
    }

    /// <summary>Creates an <see cref="HttpClient"/> over the chained handlers.</summary>
    /// <param name="baseAddress">The base address, or null.</param>
    /// <param name="transport">The innermost handler.</param>
    /// <param name="handlers">The handlers, outermost first.</param>
    /// <returns>The client (it owns the handlers).</returns>
    public static HttpClient CreateClient(Uri? baseAddress, HttpMessageHandler transport, params DelegatingHandler[] handlers)
        => new(Create(transport, handlers), disposeHandler: true) { BaseAddress = baseAddress };
}
