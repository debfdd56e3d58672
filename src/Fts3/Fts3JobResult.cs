namespace Toolkit.Fts3;

/// <summary>
/// One element of a multi-id answer (<c>GET</c>/<c>DELETE</c>/<c>POST /jobs/a,b,c</c>): the job when this id
/// succeeded, else the per-item status and message the server put into the 207 body.
/// </summary>
/// <param name="JobId">The job id asked for.</param>
/// <param name="StatusCode">The item's status: 200, 304 (already terminal, for cancel), 404, 403...</param>
/// <param name="Message">The server's message for a failed item; null for successes.</param>
/// <param name="Job">The job when the item succeeded (also for 304), else null.</param>
public sealed record Fts3JobResult(string JobId, int StatusCode, string? Message, Job? Job)
{
    /// <summary>Whether this item succeeded (2xx, or 304 "already terminal").</summary>
    public bool Succeeded => StatusCode is (>= 200 and < 300) or 304;

    /// <summary>Whether a cancel found the job already terminal (the server's <c>304 Not Modified</c> in the body).</summary>
    public bool AlreadyTerminal => StatusCode == 304;
}
