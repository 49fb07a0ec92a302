using System.ComponentModel;
using Delegation.SampleMcpServer.Grants;
using ModelContextProtocol;
using ModelContextProtocol.Server;

namespace Delegation.SampleMcpServer.Tools;

/// <summary>Reading and searching the document library.</summary>
[McpServerToolType]
public sealed class DocumentTools(DocumentLibrary library)
{
    /// <summary>Reads one document: needs <c>tools:read_document@documents/{documentId}</c>, costs nothing.</summary>
    [McpServerTool(Name = "read_document", ReadOnly = true, Idempotent = true), Description("Reads a document of the library by its id.")]
    [ToolGrant(Resource = "documents/{documentId}")]
    public string ReadDocument([Description("The document's id, e.g. handbook.")] string documentId) =>
        library.Find(documentId) is { } document
            ? $"# {document.Title}\n\n{document.Text}"
            : throw new McpException($"There is no document '{documentId}'.");

    /// <summary>Searches titles and texts: needs <c>tools:search_documents</c>, costs one unit (a metered search backend).</summary>
    [McpServerTool(Name = "search_documents", ReadOnly = true, Idempotent = true), Description("Finds the documents whose title or text contains the query; lists their ids and titles.")]
    [ToolGrant(Cost = 1)]
    public string SearchDocuments([Description("Words to look for.")] string query)
    {
        var found = library.Search(query);
        return found.Count == 0 ? "No document matches." : string.Join('\n', found.Select(d => $"{d.Id}: {d.Title}"));
    }
}
