using Xunit;

namespace Toolkit.Unicore.Tests;

public class AssemblyTests
{
    [Fact]
    public void The_assembly_is_named_after_its_protocol()
    {
        Assert.Equal("Toolkit.Unicore", typeof(UnicoreAssembly).Assembly.GetName().Name);
    }
}
