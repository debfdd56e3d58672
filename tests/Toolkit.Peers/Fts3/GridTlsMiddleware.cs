using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Toolkit.Runtime.Security;

namespace Toolkit.Peers.Fts3;

/// <summary>What the TLS layer learnt about the client (mod_ssl/mod_gridsite's environ in the real server).</summary>
public sealed class GridClientFeature
{
    public required IReadOnlyList<X509Certificate2> Chain { get; init; }

    public required ProxyValidationResult Validation { get; init; }

    public string? Identity => Validation.Identity;

    public IReadOnlyList<string> Fqans => Validation.Voms.SelectMany(v => v.Fqans).ToList();

    public int KeySize => Chain[0].GetRSAPublicKey()?.KeySize ?? 2048;
}

/// <summary>
/// TLS for Kestrel done by BouncyCastle's managed TLS 1.2 server instead of SslStream: .NET's TLS server builds an
/// OpenSSL chain for the client certificate before any callback and that throws on RFC 3820 proxies
/// (docs/security.md). The server asks for a client certificate, validates the presented chain with the runtime's
/// <see cref="ProxyChainValidator"/> (proxies accepted, end entity trusted by the test CA) and hands the plain
/// stream to Kestrel with a <see cref="GridClientFeature"/>, as Apache + mod_ssl + mod_gridsite do for fts-rest.
/// </summary>
public static class GridTlsMiddleware
{
    public static Func<ConnectionDelegate, ConnectionDelegate> Create(X509Credential serverCredential, ProxyChainValidator validator, bool requireClientCertificate)
    {
        var crypto = new BcTlsCrypto(new SecureRandom());
        var chain = new Certificate(new[] { serverCredential.Certificate }.Concat(serverCredential.Chain)
            .Select(c => (TlsCertificate)crypto.CreateCertificate(c.RawData)).ToArray());
        using var rsa = serverCredential.Certificate.GetRSAPrivateKey() ?? throw new InvalidOperationException("the peer needs an RSA server key");
        var key = PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
        return next => async connection =>
        {
            var server = new PeerTlsServer(crypto, chain, key, validator, requireClientCertificate);
            var protocol = new TlsServerProtocol();
            protocol.Accept(server);
            var transport = connection.Transport;
            var gate = new SemaphoreSlim(1, 1);
            try
            {
                // Handshake: feed the client's records until the server says it is complete.
                while (!server.Completed)
                {
                    await FlushOutput(protocol, transport.Output, gate, connection.ConnectionClosed).ConfigureAwait(false);
                    var read = await transport.Input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
                    if (read.Buffer.IsEmpty && read.IsCompleted)
                    {
                        return;
                    }

                    await gate.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        protocol.OfferInput(read.Buffer.ToArray());
                    }
                    finally
                    {
                        gate.Release();
                    }

                    transport.Input.AdvanceTo(read.Buffer.End);
                }

                await FlushOutput(protocol, transport.Output, gate, connection.ConnectionClosed).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TlsFatalAlert or TlsFatalAlertReceived or System.IO.IOException or OperationCanceledException)
            {
                await FlushOutput(protocol, transport.Output, gate, CancellationToken.None).ConfigureAwait(false);
                return;
            }

            if (server.Client is { } client)
            {
                connection.Features.Set(client);
                connection.Features.Set<ITlsConnectionFeature>(new TlsFeature(client.Chain[0]));
            }

            var toApp = new Pipe();
            var fromApp = new Pipe();
            connection.Transport = new Duplex(toApp.Reader, fromApp.Writer);
            var inbound = Task.Run(async () =>
            {
                var buffer = new byte[16 * 1024];
                try
                {
                    while (true)
                    {
                        var read = await transport.Input.ReadAsync().ConfigureAwait(false);
                        if (read.Buffer.IsEmpty && read.IsCompleted)
                        {
                            break;
                        }

                        var plain = new ArrayBufferWriter<byte>();
                        await gate.WaitAsync().ConfigureAwait(false);
                        try
                        {
                            protocol.OfferInput(read.Buffer.ToArray());
                            int n;
                            while ((n = protocol.ReadInput(buffer, 0, buffer.Length)) > 0)
                            {
                                plain.Write(buffer.AsSpan(0, n));
                            }
                        }
                        finally
                        {
                            gate.Release();
                        }

                        if (plain.WrittenCount > 0)
                        {
                            await toApp.Writer.WriteAsync(plain.WrittenMemory).ConfigureAwait(false);
                        }

                        transport.Input.AdvanceTo(read.Buffer.End);
                        await FlushOutput(protocol, transport.Output, gate, CancellationToken.None).ConfigureAwait(false);
                        if (protocol.IsClosed)
                        {
                            break;
                        }
                    }
                }
                catch (Exception ex) when (ex is TlsFatalAlert or TlsFatalAlertReceived or TlsNoCloseNotifyException or System.IO.IOException or InvalidOperationException)
                {
                }

                await toApp.Writer.CompleteAsync().ConfigureAwait(false);
            });
            var outbound = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var read = await fromApp.Reader.ReadAsync().ConfigureAwait(false);
                        if (!read.Buffer.IsEmpty)
                        {
                            await gate.WaitAsync().ConfigureAwait(false);
                            try
                            {
                                foreach (var segment in read.Buffer)
                                {
                                    var bytes = segment.ToArray();
                                    protocol.WriteApplicationData(bytes, 0, bytes.Length);
                                }
                            }
                            finally
                            {
                                gate.Release();
                            }

                            await FlushOutput(protocol, transport.Output, gate, CancellationToken.None).ConfigureAwait(false);
                        }

                        fromApp.Reader.AdvanceTo(read.Buffer.End);
                        if (read.IsCompleted)
                        {
                            break;
                        }
                    }
                }
                catch (Exception ex) when (ex is TlsFatalAlert or System.IO.IOException or InvalidOperationException)
                {
                }

                await fromApp.Reader.CompleteAsync().ConfigureAwait(false);
            });

            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await fromApp.Writer.CompleteAsync().ConfigureAwait(false);
                await outbound.ConfigureAwait(false);
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    protocol.Close();
                }
                catch (Exception ex) when (ex is System.IO.IOException or TlsFatalAlert)
                {
                }
                finally
                {
                    gate.Release();
                }

                await FlushOutput(protocol, transport.Output, gate, CancellationToken.None).ConfigureAwait(false);
                await transport.Output.CompleteAsync().ConfigureAwait(false);
                await toApp.Reader.CompleteAsync().ConfigureAwait(false);
                transport.Input.CancelPendingRead();
                await inbound.ConfigureAwait(false);
            }
        };
    }

    private static async Task FlushOutput(TlsServerProtocol protocol, PipeWriter output, SemaphoreSlim gate, CancellationToken cancellationToken)
    {
        byte[] bytes;
        await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var n = protocol.GetAvailableOutputBytes();
            if (n == 0)
            {
                return;
            }

            bytes = new byte[n];
            protocol.ReadOutput(bytes, 0, n);
            await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The transport is already completed.
        }
        finally
        {
            gate.Release();
        }
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    private sealed class TlsFeature(X509Certificate2 certificate) : ITlsConnectionFeature
    {
        public X509Certificate2? ClientCertificate { get; set; } = certificate;

        public Task<X509Certificate2?> GetClientCertificateAsync(CancellationToken cancellationToken) => Task.FromResult(ClientCertificate);
    }

    private sealed class PeerTlsServer(BcTlsCrypto crypto, Certificate chain, AsymmetricKeyParameter key, ProxyChainValidator validator, bool require) : DefaultTlsServer(crypto)
    {
        public bool Completed { get; private set; }

        public GridClientFeature? Client { get; private set; }

        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.TLSv12.Only();

        public override Org.BouncyCastle.Tls.CertificateRequest GetCertificateRequest()
            => new(new[] { ClientCertificateType.rsa_sign, ClientCertificateType.ecdsa_sign }, TlsUtilities.GetDefaultSupportedSignatureAlgorithms(m_context), null);

        public override void NotifyClientCertificate(Certificate clientCertificate)
        {
            if (clientCertificate is null || clientCertificate.IsEmpty)
            {
                if (require)
                {
                    throw new TlsFatalAlert(AlertDescription.handshake_failure, "a client certificate is required");
                }

                return;
            }

            var certs = Enumerable.Range(0, clientCertificate.Length)
                .Select(i => X509CertificateLoader.LoadCertificate(clientCertificate.GetCertificateAt(i).GetEncoded())).ToList();
            var result = validator.Validate(certs[0], certs.Skip(1));
            if (!result.IsValid)
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate, string.Join("; ", result.Errors));
            }

            Client = new GridClientFeature { Chain = certs, Validation = result };
        }

        public override void NotifyHandshakeComplete()
        {
            base.NotifyHandshakeComplete();
            Completed = true;
        }

        protected override TlsCredentialedSigner GetRsaSignerCredentials()
            => new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(m_context), crypto, key, chain, new SignatureAndHashAlgorithm(Org.BouncyCastle.Tls.HashAlgorithm.sha256, SignatureAlgorithm.rsa));
    }
}
