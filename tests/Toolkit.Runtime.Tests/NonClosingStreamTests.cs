using System.IO;
using Toolkit.Runtime.IO;

namespace Toolkit.Runtime.Tests;

/// <summary>The one non-closing stream view (used by the HTTP transport for request bodies and by the CLI for standard output).</summary>
public sealed class NonClosingStreamTests
{
    [Fact]
    public void Disposing_the_view_flushes_but_leaves_the_inner_stream_open()
    {
        var inner = new MemoryStream();
        using (var buffered = new BufferedStream(inner, 64))
        {
            using (var view = new NonClosingStream(buffered))
            {
                view.Write([1, 2, 3]);
                Assert.Equal(0, inner.Length);
            }

            Assert.Equal(3, inner.Length);
            buffered.Write([4]);
        }

        Assert.Throws<System.ObjectDisposedException>(() => inner.WriteByte(5));
    }

    [Fact]
    public void Reads_pass_through_and_the_inner_stream_survives()
    {
        var inner = new MemoryStream([7, 8, 9]);
        using (var view = new NonClosingStream(inner))
        {
            Assert.True(view.CanRead && view.CanSeek);
            Assert.Equal(3, view.Length);
            Assert.Equal(7, view.ReadByte());
        }

        Assert.Equal(8, inner.ReadByte());
    }
}
