using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;

namespace Toolkit.Runtime.Security;

/// <summary>The outcome of <see cref="ProxyChainValidator.Validate(X509Certificate2, IEnumerable{X509Certificate2})"/>.</summary>
public sealed class ProxyValidationResult
{
    internal ProxyValidationResult(IReadOnlyList<string> errors, X509Certificate2? endEntity, int proxyDepth, IReadOnlyList<VomsAttributes> voms)
    {
        Errors = errors;
        EndEntityCertificate = endEntity;
        ProxyDepth = proxyDepth;
        Voms = voms;
    }

    /// <summary>True when the chain is acceptable.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>Why the chain was refused; empty when valid.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The end-entity (user or host) certificate behind the proxies, when one was found.</summary>
    public X509Certificate2? EndEntityCertificate { get; }

    /// <summary>The caller's identity: the end-entity subject in grid (slash) form, or null.</summary>
    public string? Identity => EndEntityCertificate is null ? null : DistinguishedNames.ToGridForm(EndEntityCertificate.SubjectName);

    /// <summary>How many proxy certificates precede the end-entity certificate (0 for a plain certificate).</summary>
    public int ProxyDepth { get; }

    /// <summary>VOMS attributes of the nearest proxy that carries them (parsed, not verified).</summary>
    public IReadOnlyList<VomsAttributes> Voms { get; }
}
