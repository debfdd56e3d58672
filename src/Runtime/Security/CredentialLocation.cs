namespace Toolkit.Runtime.Security;

/// <summary>The files a credential was found in.</summary>
/// <param name="CertificatePath">The certificate (or proxy) file.</param>
/// <param name="KeyPath">The key file (equal to <paramref name="CertificatePath"/> for a proxy).</param>
/// <param name="Kind">Which step of the discovery order found it.</param>
public sealed record CredentialLocation(string CertificatePath, string KeyPath, CredentialSourceKind Kind);
