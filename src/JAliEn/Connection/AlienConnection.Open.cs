using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Security;

namespace Toolkit.JAliEn.Connection;

public sealed partial class AlienConnection
{
    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        int tries = _options.ConnectTries ?? (_options.NetworkStack is null ? 3 : 2);
        var family = _options.NetworkStack;
        AlienConnectionException? last = null;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                _socket = await OpenOnceAsync(family, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RetryableOpenException e)
            {
                last = new AlienConnectionException(e.Message, e.InnerException);
            }
            if (attempt == 2 && _options.NetworkStack is null && family is null)
            {
                // alienpy: after two failures with no forced stack, try IPv4 only, with more attempts.
                family = AddressFamily.InterNetwork;
                if (_options.ConnectTries is null)
                {
                    tries = 4;
                }
            }
            if (attempt >= tries)
            {
                throw new AlienConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"could not connect to {Endpoint.Uri} after {attempt} attempts: {last.Message}"), last.InnerException);
            }
            await Task.Delay(_options.ConnectTriesInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ClientWebSocket> OpenOnceAsync(AddressFamily? family, CancellationToken cancellationToken)
    {
        _tlsProblem = null;
        var ssl = GridTls.CreateClientAuthenticationOptions(new GridTlsOptions
        {
            ClientCredential = _credentials.Credential,
            TrustStore = _trust,
            CheckHostName = false,
            InsecureSkipServerVerification = _options.InsecureSkipServerVerification,
            Logger = _options.Logger,
            TimeProvider = _options.TimeProvider,
        }, targetHost: null);
        ssl.RemoteCertificateValidationCallback = ValidateServer;
        _options.PhaseCompleted?.Invoke("TLS client certificate context");
        bool stagger = !_options.NoStagger;
        var timeout = _options.SocketConnectTimeout;
        var handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            ConnectTimeout = _options.OpenTimeout,
            UseProxy = false,
            ConnectCallback = async (context, token) =>
            {
                var tcp = await HappyEyeballs.ConnectAsync(context.DnsEndPoint.Host, context.DnsEndPoint.Port, family, stagger, timeout, token).ConfigureAwait(false);
                _options.PhaseCompleted?.Invoke("TCP connect");
                return new NetworkStream(tcp, ownsSocket: true);
            },
        };
        _invoker?.Dispose();
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = _options.KeepAlive;
        socket.Options.KeepAliveTimeout = _options.KeepAlive;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("User-Agent", _options.UserAgent ?? DefaultUserAgent());
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_options.OpenTimeout);
        try
        {
            await socket.ConnectAsync(Endpoint.Uri, _invoker, cts.Token).ConfigureAwait(false);
            _options.PhaseCompleted?.Invoke("TLS handshake and websocket upgrade");
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or OperationCanceledException or IOException or AuthenticationException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            if (status == HttpStatusCode.Unauthorized)
            {
                throw new AlienConnectionException(
                    $"the server at {Endpoint} refused the certificate {_credentials.Credential.Subject} (HTTP 401): it is not mapped to an account; check your ALICE VO registration") { ExitCode = 129 };
            }
            if (_tlsProblem is not null)
            {
                throw new AlienConnectionException($"TLS: the server certificate of {Endpoint} was rejected: {_tlsProblem}", e);
            }
            if (Find<AuthenticationException>(e) is { } tls)
            {
                throw new AlienConnectionException(
                    $"TLS handshake with {Endpoint} failed ({tls.Message}); the server may not accept the client certificate {_credentials.Credential.Subject} or its CA", e);
            }
            if (status is { } code && code != 0)
            {
                throw new AlienConnectionException(string.Create(CultureInfo.InvariantCulture,
                    $"the server at {Endpoint} answered HTTP {(int)code} instead of switching to the websocket protocol at {Endpoint.Path}"), e);
            }
            string why = e is OperationCanceledException
                ? string.Create(CultureInfo.InvariantCulture, $"no websocket within {_options.OpenTimeout.TotalSeconds:0.#} s")
                : Innermost(e).Message;
            throw new RetryableOpenException(why, e);
        }
    }

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_options.InsecureSkipServerVerification)
        {
            return true;
        }
        if (certificate is null)
        {
            _tlsProblem = "the server presented no certificate";
            return false;
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var extra = new List<X509Certificate2>();
        if (chain is not null)
        {
            extra.AddRange(chain.ChainPolicy.ExtraStore);
            extra.AddRange(chain.ChainElements.Select(e => e.Certificate).Where(c => c.Thumbprint != leaf.Thumbprint));
        }
        var problems = _trust!.Validate(leaf, extra, _options.TimeProvider.GetUtcNow());
        if (problems.Count > 0)
        {
            _tlsProblem = $"{DistinguishedNames.ToGridForm(leaf.SubjectName)}: {string.Join("; ", problems)} (CAs from {_trust.Directory ?? "the given trust store"})";
            return false;
        }
        _options.PhaseCompleted?.Invoke("server certificate verified");
        return true;
    }

    /// <summary>
    /// The session start of the spec (<c>setSite</c>, <c>commandlist</c> once, <c>cd</c> back to the cwd, <c>token</c>
    /// on the user certificate), sent as one pipelined batch: one round trip however many commands it holds.
    /// </summary>
    private async Task StartSessionAsync(bool first, CancellationToken cancellationToken)
    {
        string? cwd = first ? _options.InitialDirectory : CurrentDirectory;
        var lines = new List<AlienCommandLine>(4);
        if (_options.Site is { } site)
        {
            lines.Add(new AlienCommandLine("setSite", [site]));
        }
        int commandList = -1, token = -1;
        if (first)
        {
            commandList = lines.Count;
            lines.Add(new AlienCommandLine("commandlist", ["-nomsg"]));
        }
        if (!string.IsNullOrEmpty(cwd))
        {
            lines.Add(new AlienCommandLine("cd", [cwd]));
        }
        if (!_credentials.IsToken && _options.RefreshToken)
        {
            token = lines.Count;
            lines.Add(new AlienCommandLine("token", ["-nomsg"]));
        }
        if (lines.Count == 0)
        {
            return;
        }
        var requests = new ReadOnlyMemory<byte>[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
            AlienWire.Encode(lines[i], buffer);
            requests[i] = buffer.WrittenMemory;
        }
        var replies = await ExchangeAsync(lines, requests, cancellationToken).ConfigureAwait(false)
            ?? throw new AlienConnectionException($"the server at {Endpoint} closed the session during session start ('{lines[0].Command}')");
        if (commandList >= 0)
        {
            ServerCommands = ResultStrings(replies[commandList].Span, "commandlist").Where(c => !c.EndsWith("_csd", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        }
        if (token >= 0)
        {
            var certs = ResultStrings(replies[token].Span, "tokencert");
            var keys = ResultStrings(replies[token].Span, "tokenkey");
            if (certs.Count > 0 && keys.Count > 0)
            {
                _credentials.WriteToken(certs[0], keys[0]);
            }
        }
        _options.PhaseCompleted?.Invoke("session start (" + string.Join(", ", lines.Select(l => l.Command)) + ", one round trip)");
    }

    /// <summary>The string values of <paramref name="key"/> in the rows of <c>results</c>.</summary>
    /// <param name="reply">A reply.</param>
    /// <param name="key">The key.</param>
    /// <returns>The values, in order.</returns>
    internal static List<string> ResultStrings(ReadOnlySpan<byte> reply, string key)
    {
        var values = new List<string>();
        var reader = new Utf8JsonReader(reply);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("results"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    return values;
                }
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        bool match = reader.ValueTextEquals(key);
                        reader.Read();
                        if (match && reader.TokenType == JsonTokenType.String)
                        {
                            values.Add(reader.GetString()!);
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                return values;
            }
        }
        return values;
    }

    private static string DefaultUserAgent() =>
        "toolkit-jalien/" + (typeof(AlienConnection).Assembly.GetName().Version?.ToString(3) ?? "0") + " dotnet/" + Environment.Version.ToString(3)
        + " id/" + Environment.UserName + "@" + Dns.GetHostName();

    private static T? Find<T>(Exception? e)
        where T : Exception
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T t)
            {
                return t;
            }
        }
        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }
        return e;
    }

    /// <summary>A failure worth another attempt (socket, timeout), as opposed to a TLS or authorization refusal.</summary>
    private sealed class RetryableOpenException(string message, Exception inner) : Exception(message, inner);
}
