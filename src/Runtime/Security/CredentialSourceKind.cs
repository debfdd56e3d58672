namespace Toolkit.Runtime.Security;

/// <summary>Where <see cref="CredentialDiscovery"/> found a credential (the steps of the documented order).</summary>
public enum CredentialSourceKind
{
    /// <summary>Certificate/key or proxy given explicitly by the caller.</summary>
    Explicit = 0,

    /// <summary>The proxy named by <c>X509_USER_PROXY</c>.</summary>
    UserProxyVariable = 1,

    /// <summary>The default proxy file <c>/tmp/x509up_u&lt;uid&gt;</c>.</summary>
    DefaultProxyFile = 2,

    /// <summary>The certificate and key named by <c>X509_USER_CERT</c> and <c>X509_USER_KEY</c>.</summary>
    UserCertificateVariables = 3,

    /// <summary><c>~/.globus/usercert.pem</c> and <c>~/.globus/userkey.pem</c>.</summary>
    GlobusDirectory = 4,

    /// <summary>The host certificate <c>/etc/grid-security/hostcert.pem</c> and <c>hostkey.pem</c>.</summary>
    HostCertificate = 5,
}
