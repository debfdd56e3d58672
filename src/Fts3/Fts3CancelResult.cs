namespace Toolkit.Fts3;

/// <summary>What a cancel did to a job or to one file.</summary>
/// <param name="JobId">The job.</param>
/// <param name="FileId">The file, or null when the whole job was cancelled.</param>
/// <param name="State">The state after the call (<c>CANCELED</c>, or the terminal state the job/file already had).</param>
/// <param name="AlreadyTerminal">
/// True when nothing changed because the job or file had already finished: for jobs the server answers HTTP 200
/// with <c>"http_status": "304 Not Modified"</c> in the body.
/// </param>
/// <param name="Message">The server's message (e.g. "File does not belong to the job"), if any.</param>
public sealed record Fts3CancelResult(string JobId, long? FileId, string State, bool AlreadyTerminal, string? Message);
