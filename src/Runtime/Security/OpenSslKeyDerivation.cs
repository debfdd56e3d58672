using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Toolkit.Runtime.Security;

/// <summary>
/// OpenSSL's <c>EVP_BytesToKey</c> key derivation with MD5 and one iteration, as used by legacy encrypted PEM keys
/// (<c>Proc-Type: 4,ENCRYPTED</c>), where the salt is the first 8 bytes of the IV from <c>DEK-Info</c>.
/// </summary>
public static class OpenSslKeyDerivation
{
    /// <summary>
    /// Derives <paramref name="keyLength"/> bytes: D_1 = MD5(password ‖ salt), D_i = MD5(D_(i-1) ‖ password ‖ salt),
    /// concatenated and truncated.
    /// </summary>
    /// <param name="password">The passphrase (encoded as UTF-8).</param>
    /// <param name="salt">The salt (8 bytes for PEM; may be empty).</param>
    /// <param name="keyLength">Number of key bytes to produce.</param>
    /// <returns>The derived key.</returns>
    public static byte[] EvpBytesToKeyMd5(ReadOnlySpan<char> password, ReadOnlySpan<byte> salt, int keyLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keyLength);
        byte[] pass = Encoding.UTF8.GetBytes(password.ToArray());
        try
        {
            var key = new byte[keyLength];
            var previous = Array.Empty<byte>();
            int filled = 0;
            while (filled < keyLength)
            {
                var input = new byte[previous.Length + pass.Length + salt.Length];
                previous.CopyTo(input, 0);
                pass.CopyTo(input, previous.Length);
                salt.CopyTo(input.AsSpan(previous.Length + pass.Length));
#pragma warning disable CA5351 // MD5 is what OpenSSL's legacy PEM encryption uses; reading such keys needs it.
                previous = MD5.HashData(input);
#pragma warning restore CA5351
                CryptographicOperations.ZeroMemory(input);
                int n = Math.Min(previous.Length, keyLength - filled);
                previous.AsSpan(0, n).CopyTo(key.AsSpan(filled));
                filled += n;
            }
            CryptographicOperations.ZeroMemory(previous);
            return key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pass);
        }
    }
}
