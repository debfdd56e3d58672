namespace Toolkit.Unicore;

/// <summary>Marks the Toolkit.Unicore assembly (UNICORE REST and UFTP).</summary>
public static class UnicoreAssembly
{
}
