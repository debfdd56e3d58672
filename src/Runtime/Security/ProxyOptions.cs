using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Toolkit.Runtime.Security;

/// <summary>Options for <see cref="ProxyFactory.CreateProxy"/> (the <c>grid-proxy-init</c> equivalents).</summary>
public sealed record ProxyOptions
{
    /// <summary>Requested lifetime (<c>-valid</c>); capped at the issuer chain's notAfter. Default 12 hours.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>RSA key size of the new proxy key in bits (<c>-bits</c>). Default 2048.</summary>
    public int KeySize { get; init; } = 2048;

    /// <summary>The ProxyCertInfo policy language. Default id-ppl-inheritAll (an impersonation proxy).</summary>
    public string PolicyLanguage { get; init; } = ProxyCertificates.InheritAllPolicyOid;

    /// <summary>Optional pCPathLenConstraint (<c>-path-length</c>); null for unlimited.</summary>
    public int? PathLength { get; init; }

    /// <summary>How far notBefore is set back to tolerate clock skew (not earlier than the issuer's). Default 5 minutes.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock used for validity; null for the system clock.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
