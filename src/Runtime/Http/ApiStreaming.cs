using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Toolkit.Runtime.Json;

namespace Toolkit.Runtime.Http;

/// <summary>The streaming half of <see cref="ApiTransport"/>: a response array read item by item (generated <c>*StreamAsync</c> operations).</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ApiStreaming
{
    /// <summary>
    /// Enumerates the items of a response whose body is a JSON array, reading the body as it arrives
    /// (<see cref="JsonArrayStreamReader"/>): memory holds one item and one read buffer, whatever the body's size. The
    /// options' <see cref="ApiClientOptions.MaxResponseBytes"/> bounds each item, not the whole body.
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="response">The response (its headers read, the body not yet; the caller disposes it).</param>
    /// <param name="operationId">The operation id, named in errors.</param>
    /// <param name="read">Decodes one item.</param>
    /// <param name="nullIsEmpty">Whether an empty body or <c>null</c> means no items.</param>
    /// <param name="options">The client's options (null: the defaults).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The items.</returns>
    /// <exception cref="ApiException">The body is not an array of valid items (the message names the byte offset).</exception>
    /// <exception cref="HttpRequestException">The connection broke while the body was read.</exception>
    public static async IAsyncEnumerable<T> ReadArrayAsync<T>(
        HttpResponseMessage response,
        string operationId,
        JsonReadFunc<T> read,
        bool nullIsEmpty,
        ApiClientOptions? options,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(read);
        if (response.Content is null)
        {
            if (nullIsEmpty)
            {
                yield break;
            }

            throw Mismatch(response, operationId, new JsonException("the response has no body; a JSON array was expected"));
        }

        var maxItem = (int)Math.Min(options?.MaxResponseBytes ?? ApiClientOptions.DefaultMaxResponseBytes, Array.MaxLength);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var items = JsonArrayStreamReader.ReadAsync(stream, read, nullIsEmpty, maxItem, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (items.ConfigureAwait(false))
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await items.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (JsonException e)
                    {
                        throw Mismatch(response, operationId, e);
                    }
                    catch (IOException e)
                    {
                        var uri = response.RequestMessage?.RequestUri;
                        throw new HttpRequestException(HttpRequestError.ResponseEnded, "the response of " + (uri?.GetLeftPart(UriPartial.Path) ?? "the server") + " broke off: " + e.Message, e);
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    yield return items.Current;
                }
            }
        }
    }

    private static ApiException Mismatch(HttpResponseMessage response, string operationId, JsonException e)
    {
        var details = ApiTransport.Details(response, operationId, Array.Empty<byte>(), null);
        return new ApiException("The response of " + operationId + " (status " + details.StatusCode.ToString(CultureInfo.InvariantCulture) + ") does not match the schema: " + e.Message, details, e);
    }
}
