namespace Toolkit.Runtime.Tests.Security;

/// <summary>One throwaway grid PKI (<see cref="GridPki"/>) shared by the tests of the "pki" collection.</summary>
[CollectionDefinition("pki")]
public sealed class PkiCollection : ICollectionFixture<GridPki>
{
}
