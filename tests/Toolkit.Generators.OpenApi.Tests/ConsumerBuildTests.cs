using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Toolkit.OpenApi.Tests;

/// <summary>
/// The consumer recipe of docs/openapi-generator.md, built for real: a project outside the repository with the
/// props import, the generator and Runtime project references and one AdditionalFiles line, compiled by
/// <c>dotnet build</c> (so the generator runs inside the SDK's compiler, not through CSharpGeneratorDriver).
/// </summary>
public class ConsumerBuildTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary>The configuration this test assembly was built in (the consumer builds against the same outputs).</summary>
    internal const string BuildConfiguration = Configuration;

    /// <summary>
    /// A consumer project file as a user writes it: the generator's props, Nullable and warnings as errors, the Runtime and
    /// the generator (as an analyzer) from this repository, and <paramref name="additionalFiles"/> (the OpenAPI items).
    /// </summary>
    internal static string ConsumerProject(string repo, string additionalFiles) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <Import Project="{repo}/generators/Toolkit.Generators.OpenApi/build/Toolkit.Generators.OpenApi.props" />
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <RootNamespace>Consumer</RootNamespace>
            <Nullable>enable</Nullable>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="{repo}/src/Runtime/Toolkit.Runtime.csproj" />
            <ProjectReference Include="{repo}/generators/Toolkit.Generators.OpenApi/Toolkit.Generators.OpenApi.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
            {additionalFiles}
          </ItemGroup>
        </Project>
        """;

    [Fact]
    public void Dotnet_build_of_a_consumer_project_runs_the_generator()
    {
        var repo = Path.GetFullPath(Path.Combine(GeneratorHarness.SourceDir(), "..", ".."));
        var dir = Directory.CreateTempSubdirectory("toolkit-consumer-");
        try
        {
            File.Copy(Path.Combine(GeneratorHarness.SourceDir(), "Schemas", "petstore.json"), Path.Combine(dir.FullName, "pets.json"));
            File.WriteAllText(Path.Combine(dir.FullName, "Consumer.csproj"), ConsumerProject(repo, """<AdditionalFiles Include="pets.json" ToolkitOpenApiClientName="Zoo" />"""));

            File.WriteAllText(Path.Combine(dir.FullName, "Use.cs"), UseSource);

            var (code, output) = Dotnet(dir.FullName, "build", "-c", Configuration, "-nologo", "-v", "q", "-p:BuildProjectReferences=false", "-nodeReuse:false");
            Assert.True(code == 0, "dotnet build failed:\n" + output);

            var dll = Path.Combine(dir.FullName, "bin", Configuration, "net10.0", "Consumer.dll");
            var types = TypesIn(dll);
            Assert.Contains("Consumer.Zoo.ZooClient", types);
            Assert.Contains("Consumer.Zoo.ZooClientOptions", types);
            Assert.Contains("Consumer.Zoo.Pet", types);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The package recipe: <c>dotnet pack</c> of Toolkit.Runtime (library + both generators as analyzers + props),
    /// then a project outside the repository with one PackageReference and two AdditionalFiles lines (an OpenAPI
    /// document in YAML and a struct schema), restored from a folder feed into its own packages folder and built by
    /// <c>dotnet build</c>.
    /// </summary>
    [Fact]
    public void The_package_alone_brings_both_generators_into_a_consumer_build()
    {
        var repo = Path.GetFullPath(Path.Combine(GeneratorHarness.SourceDir(), "..", ".."));
        var dir = Directory.CreateTempSubdirectory("toolkit-package-");
        try
        {
            // A version no earlier run used, so no cache can answer for this build's package.
            var version = "0.1.0-test" + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", System.Globalization.CultureInfo.InvariantCulture);
            var feed = Path.Combine(dir.FullName, "feed");
            var (code, output) = Dotnet(repo, "pack", Path.Combine(repo, "src", "Runtime", "Toolkit.Runtime.csproj"), "-c", Configuration, "-o", feed, "-nologo", "-v", "q", "--no-build", "-p:Version=" + version, "-nodeReuse:false");
            Assert.True(code == 0, "dotnet pack failed:\n" + output);
            var nupkg = Path.Combine(feed, "Toolkit.Runtime." + version + ".nupkg");
            using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToHashSet();
                Assert.Contains("lib/net10.0/Toolkit.Runtime.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/Toolkit.Generators.OpenApi.dll", entries);
                Assert.Contains("analyzers/dotnet/cs/Toolkit.Generators.Structs.dll", entries);
                Assert.Contains("build/Toolkit.Runtime.props", entries);
                Assert.Contains("build/Toolkit.Generators.OpenApi.props", entries);
            }

            var app = Directory.CreateDirectory(Path.Combine(dir.FullName, "app")).FullName;
            File.Copy(Path.Combine(GeneratorHarness.SourceDir(), "Schemas", "yaml", "petstore.yaml"), Path.Combine(app, "pets.yaml"));
            File.WriteAllText(Path.Combine(app, "probe.structs"), """
                namespace Consumer.Wire;

                /// A tiny record: a tag and a 16-bit length.
                struct Probe {
                    tag: u8 const 0x2A;
                    len: u16;
                }
                """);
            File.WriteAllText(Path.Combine(app, "Consumer.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <RootNamespace>Consumer</RootNamespace>
                    <Nullable>enable</Nullable>
                    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Toolkit.Runtime" Version="{version}" />
                    <AdditionalFiles Include="pets.yaml" ToolkitOpenApiClientName="Zoo" />
                    <AdditionalFiles Include="probe.structs" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Use.cs"), UseSource);

            // The package from the folder feed; its dependencies from the packages this machine already restored
            // (the global packages folder is itself a valid feed), then nuget.org.
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p
                ? p
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <config><add key="globalPackagesFolder" value="{Path.Combine(dir.FullName, "packages")}" /></config>
                  <packageSources>
                    <clear />
                    <add key="test-feed" value="{feed}" />
                    <add key="machine-cache" value="{cache}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);

            (code, output) = Dotnet(app, "build", "-c", Configuration, "-nologo", "-v", "q", "-nodeReuse:false");
            Assert.True(code == 0, "dotnet build of the package consumer failed:\n" + output);

            var dll = Path.Combine(app, "bin", Configuration, "net10.0", "Consumer.dll");
            var types = TypesIn(dll);
            Assert.Contains("Consumer.Zoo.ZooClient", types);
            Assert.Contains("Consumer.Zoo.Pet", types);
            Assert.Contains(types, t => t.StartsWith("Consumer.Wire.Probe", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Uses the generated client with exact nullability: Name is a required, non-null string.</summary>
    private const string UseSource = """
        namespace Consumer;

        public static class Use
        {
            public static async System.Threading.Tasks.Task<string> FirstNameAsync(Consumer.Zoo.ZooClient client)
            {
                var pets = await client.ListPetsAsync(limit: 1).ConfigureAwait(false);
                return pets[0].Name;
            }
        }
        """;

    private static HashSet<string> TypesIn(string dll)
    {
        using var pe = new PEReader(File.OpenRead(dll));
        var md = pe.GetMetadataReader();
        return md.TypeDefinitions.Select(h => md.GetTypeDefinition(h)).Select(t => md.GetString(t.Namespace) + "." + md.GetString(t.Name)).ToHashSet();
    }

    internal static (int Code, string Output) Dotnet(string workingDirectory, params string[] args) => Dotnet(TimeSpan.FromMinutes(4), workingDirectory, args);

    internal static (int Code, string Output) Dotnet(TimeSpan timeout, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // The test host runs under MSBuild-set variables meant for itself; the child build must find its own SDK.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("MSBUILD", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            return (-1, "timed out\n" + stdout.Result + stderr.Result);
        }

        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
