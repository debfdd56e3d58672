using System.Diagnostics;

namespace Toolkit.Runtime.Http;

/// <summary>
/// Tracing hooks: every generated operation runs inside an <see cref="Activity"/> of the
/// <c>Toolkit.Http</c> source, tagged with the client, operation, method, route template and status.
/// </summary>
public static class ApiDiagnostics
{
    /// <summary>The name of the activity source, for <c>AddSource</c> in OpenTelemetry or an ActivityListener.</summary>
    public const string SourceName = "Toolkit.Http";

    /// <summary>The activity source used by generated clients and the runtime handlers.</summary>
    public static ActivitySource ActivitySource { get; } = new(SourceName, "1.0");

    /// <summary>Starts the activity of one operation (null when nobody listens).</summary>
    /// <param name="client">The client name.</param>
    /// <param name="operationId">The operation id.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="template">The path template.</param>
    /// <returns>The activity, or null.</returns>
    public static Activity? StartOperation(string client, string operationId, string method, string template)
    {
        var activity = ActivitySource.StartActivity(client + "." + operationId, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("toolkit.client", client);
            activity.SetTag("toolkit.operation", operationId);
            activity.SetTag("http.request.method", method);
            activity.SetTag("url.template", template);
        }

        return activity;
    }

    /// <summary>Records the response status on an operation's activity.</summary>
    /// <param name="activity">The activity (may be null).</param>
    /// <param name="statusCode">The status code.</param>
    /// <param name="success">Whether the client accepted the status.</param>
    public static void SetStatus(Activity? activity, int statusCode, bool success)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("http.response.status_code", statusCode);
        if (!success)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
