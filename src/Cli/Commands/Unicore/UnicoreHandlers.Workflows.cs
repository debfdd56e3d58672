using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Unicore;

namespace Toolkit.Cli;

internal static partial class UnicoreHandlers
{
    public static Task<int> WorkflowSubmitAsync(UnicoreGlobalOptions g, string file, bool wait, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var json = File.ReadAllBytes(file);
        var service = await WorkflowServiceAsync(g, client, ct).ConfigureAwait(false);
        UnicoreWorkflow wf;
        try
        {
            wf = await service.SubmitAsync(json, ct).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(file + ": " + e.Message, e);
        }

        var props = wait ? await wf.WaitAsync(null, true, ct).ConfigureAwait(false) : null;
        WriteWorkflow(g, console, wf, props);
        return props is null || props.Status == WorkflowStatus.Successful || props.Status == WorkflowStatus.Held ? ExitCodes.Ok : ExitCodes.Failure;
    });

    public static Task<int> WorkflowStatusAsync(UnicoreGlobalOptions g, string url, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var wf = client.GetWorkflowService(Url(url)).GetWorkflow(Url(url));
        WriteWorkflow(g, console, wf, await wf.GetPropertiesAsync(ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    public static Task<int> WorkflowResumeAsync(UnicoreGlobalOptions g, string url, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var wf = client.GetWorkflowService(Url(url)).GetWorkflow(Url(url));
        await wf.ResumeAsync(null, ct).ConfigureAwait(false);
        WriteWorkflow(g, console, wf, await wf.GetPropertiesAsync(ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    public static Task<int> WorkflowAbortAsync(UnicoreGlobalOptions g, string url, CliConsole console, CancellationToken ct) => WithClient(g, console, async client =>
    {
        var wf = client.GetWorkflowService(Url(url)).GetWorkflow(Url(url));
        await wf.AbortAsync(ct).ConfigureAwait(false);
        WriteWorkflow(g, console, wf, await wf.GetPropertiesAsync(ct).ConfigureAwait(false));
        return ExitCodes.Ok;
    });

    private static async Task<UnicoreWorkflowService> WorkflowServiceAsync(UnicoreGlobalOptions g, UnicoreClient client, CancellationToken ct)
    {
        if (UnicoreClientOptions.Url(g.Workflows, "--workflows") is { } url)
        {
            return client.GetWorkflowService(url);
        }

        var services = await client.GetRegistry().GetWorkflowServicesAsync(ct).ConfigureAwait(false);
        return services.Count > 0
            ? client.GetWorkflowService(services.First().Value)
            : throw new FormatException("the registry lists no workflow service: give -w/--workflows URL");
    }

    private static void WriteWorkflow(UnicoreGlobalOptions g, CliConsole console, UnicoreWorkflow wf, WorkflowProperties? props)
    {
        if (g.Json)
        {
            JsonOutput.WriteIndented(console.Out, (Utf8JsonWriter w) =>
            {
                w.WriteStartObject();
                w.WriteString("url", wf.Url.ToString());
                if (props is not null)
                {
                    w.WriteString("status", props.Status?.ToString());
                    w.WriteString("statusMessage", props.StatusMessage);
                    w.WriteString("name", props.Name);
                }

                w.WriteEndObject();
            });
            return;
        }

        console.Out.WriteLine(wf.Url);
        if (props is not null)
        {
            console.Out.WriteLine($"status : {S(props.Status?.ToString())}{(string.IsNullOrEmpty(props.StatusMessage) ? string.Empty : " (" + S(props.StatusMessage) + ")")}");
        }
    }
}
