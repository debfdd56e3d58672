namespace Toolkit.Runtime.Http;

/// <summary>An OpenAPI parameter <c>style</c> (OpenAPI 3.0.4 / 3.1.1, "Style Values").</summary>
public enum ApiParameterStyle
{
    /// <summary>RFC 6570 simple expansion: <c>blue,black</c> (path and header parameters).</summary>
    Simple,

    /// <summary>RFC 6570 path-style expansion: <c>;color=blue</c>.</summary>
    Matrix,

    /// <summary>RFC 6570 label expansion: <c>.blue</c>.</summary>
    Label,

    /// <summary>RFC 6570 form expansion: <c>color=blue</c> (query and cookie parameters).</summary>
    Form,

    /// <summary>Space-separated values: <c>color=blue%20black</c>.</summary>
    SpaceDelimited,

    /// <summary>Pipe-separated values: <c>color=blue%7Cblack</c>.</summary>
    PipeDelimited,

    /// <summary>One pair a property: <c>color%5BR%5D=100</c>.</summary>
    DeepObject,
}

/// <summary>The shape of a parameter value: the columns of the "Style Examples" table.</summary>
public enum ApiParameterShape
{
    /// <summary>A string, number, boolean, date or enum value.</summary>
    Primitive,

    /// <summary>An array of primitives (items written with <see cref="ApiStyleWriter.Item(string?)"/>).</summary>
    Array,

    /// <summary>An object of primitive properties (the "object" column) (written with <see cref="ApiStyleWriter.Member(string, string?)"/>).</summary>
    Properties,
}

/// <summary>Which characters of a name or value are sent as they are; every other one is percent-encoded (UTF-8).</summary>
public enum ApiParameterEncoding
{
    /// <summary>RFC 6570 simple expansion: only RFC 3986 unreserved characters pass (path and query, <c>allowReserved: false</c>).</summary>
    Unreserved,

    /// <summary>
    /// RFC 6570 reserved expansion for <c>allowReserved: true</c>: RFC 3986 reserved characters and percent-encoded
    /// triples pass too, except <c>[ ] #</c> (not allowed in a query) and <c>&amp; = +</c> (form-urlencoded delimiters).
    /// </summary>
    Reserved,

    /// <summary>RFC 6265: values keep the cookie-octets (but <c>%</c>); names keep the token characters.</summary>
    Cookie,

    /// <summary>Header values: text as it is (RFC 6570's percent-encoding is not HTTP's; OpenAPI 3.0.4 Appendix D).</summary>
    Header,
}
