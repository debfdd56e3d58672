using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Toolkit.Runtime.Security;

/// <summary>What kind of certificate a credential's leaf is.</summary>
public enum ProxyKind
{
    /// <summary>An end-entity certificate (not a proxy).</summary>
    EndEntity = 0,

    /// <summary>An RFC 3820 proxy (ProxyCertInfo extension <c>1.3.6.1.5.5.7.1.14</c>).</summary>
    Rfc3820 = 1,

    /// <summary>A pre-RFC "GT3" draft proxy (extension <c>1.3.6.1.4.1.3536.1.222</c>).</summary>
    Draft = 2,

    /// <summary>A legacy Globus proxy: no extension, subject = issuer + <c>CN=proxy</c> or <c>CN=limited proxy</c>.</summary>
    Legacy = 3,
}
