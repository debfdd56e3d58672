using System;
using Microsoft.Extensions.Logging;

namespace Toolkit.Runtime.Http;

/// <summary>Options shared by every generated client (each client derives its own <c>XxxClientOptions</c>).</summary>
public class ApiClientOptions
{
    /// <summary>
    /// The service's base address. When null the client uses <see cref="System.Net.Http.HttpClient.BaseAddress"/>,
    /// then the document's first server URL.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Receives one entry per failed operation (status and message); HTTP traffic is logged by <see cref="HttpLoggingHandler"/>.</summary>
    public ILogger? Logger { get; set; }
}
