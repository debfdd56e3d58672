using System;
using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Toolkit.Runtime.Json;

// String values: quoting and minimal escaping.
public sealed partial class ApiJsonWriter
{
    /// <summary>Writes a string value.</summary>
    /// <param name="value">The text.</param>
    /// <exception cref="ArgumentException">The text is not valid UTF-16.</exception>
    public void WriteStringValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        WriteQuoted(value);
        _comma = true;
    }

    private void WriteQuoted(string value)
    {
        // Room for the comma, the quotes and the text at UTF-8's worst case of 3 bytes per UTF-16 unit.
        Ensure(checked((value.Length * 3) + 3));
        var buffer = _buffer;
        var pos = _pos;
        if (_comma)
        {
            buffer[pos++] = (byte)',';
        }

        buffer[pos++] = (byte)'"';

        // Short text (names, states, hosts): one pass that narrows and checks for escapes together.
        if (value.Length <= 24)
        {
            var k = 0;
            for (; k < value.Length; k++)
            {
                var c = value[k];
                if (c < 0x20 || c > 0x7E || c == '"' || c == '\\')
                {
                    break;
                }

                buffer[pos + k] = (byte)c;
            }

            if (k == value.Length)
            {
                pos += k;
                buffer[pos++] = (byte)'"';
                _pos = pos;
                return;
            }
        }

        int written;
        if (System.Text.Ascii.FromUtf16(value, buffer.AsSpan(pos), out written) != OperationStatus.Done)
        {
            var status = Utf8.FromUtf16(value, buffer.AsSpan(pos), out _, out written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
            {
                throw new ArgumentException("the text is not valid UTF-16 (it holds a lone surrogate) and cannot be written as JSON", nameof(value));
            }
        }

        var escape = buffer.AsSpan(pos, written).IndexOfAny(NeedsEscape);
        if (escape >= 0)
        {
            _pos = pos;
            WriteEscaped(escape, written);
            return;
        }

        pos += written;
        buffer[pos++] = (byte)'"';
        _pos = pos;
    }

    /// <summary>Rewrites the <paramref name="written"/> UTF-8 bytes at the position with escapes, from <paramref name="first"/> on.</summary>
    private void WriteEscaped(int first, int written)
    {
        var tail = written - first;
        var copy = ArrayPool<byte>.Shared.Rent(tail);
        try
        {
            _buffer.AsSpan(_pos + first, tail).CopyTo(copy);
            _pos += first;
            Ensure(checked((tail * 6) + 1));
            var buffer = _buffer;
            var pos = _pos;
            foreach (var b in copy.AsSpan(0, tail))
            {
                if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
                {
                    buffer[pos++] = b;
                    continue;
                }

                buffer[pos++] = (byte)'\\';
                switch (b)
                {
                    case (byte)'"':
                    case (byte)'\\':
                        buffer[pos++] = b;
                        break;
                    case (byte)'\n':
                        buffer[pos++] = (byte)'n';
                        break;
                    case (byte)'\r':
                        buffer[pos++] = (byte)'r';
                        break;
                    case (byte)'\t':
                        buffer[pos++] = (byte)'t';
                        break;
                    case (byte)'\b':
                        buffer[pos++] = (byte)'b';
                        break;
                    case (byte)'\f':
                        buffer[pos++] = (byte)'f';
                        break;
                    default:
                        buffer[pos++] = (byte)'u';
                        buffer[pos++] = (byte)'0';
                        buffer[pos++] = (byte)'0';
                        buffer[pos++] = HexDigit(b >> 4);
                        buffer[pos++] = HexDigit(b & 0xF);
                        break;
                }
            }

            buffer[pos++] = (byte)'"';
            _pos = pos;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private static byte HexDigit(int v) => (byte)(v < 10 ? '0' + v : 'a' + v - 10);
}
