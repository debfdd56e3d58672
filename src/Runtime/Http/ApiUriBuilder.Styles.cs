namespace Toolkit.Runtime.Http;

/// <summary>The styled parameter writers of a request URI.</summary>
public sealed partial class ApiUriBuilder
{
    private ApiStyleWriter? _pathWriter;
    private ApiStyleWriter? _queryWriter;

    /// <summary>Writes a path parameter (simple, matrix or label style) where the template has it.</summary>
    public ApiStyleWriter Path => _pathWriter ??= new ApiStyleWriter(_path, ApiStyleWriter.Target.Path);

    /// <summary>Writes query parameters (form, spaceDelimited, pipeDelimited or deepObject style).</summary>
    public ApiStyleWriter Query => _queryWriter ??= new ApiStyleWriter(_query, ApiStyleWriter.Target.Query);
}
