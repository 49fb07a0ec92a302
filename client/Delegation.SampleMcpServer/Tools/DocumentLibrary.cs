using System.Collections.Frozen;

namespace Delegation.SampleMcpServer.Tools;

/// <summary>The documents the sample's tools read and search: a small fixed library, in memory.</summary>
public sealed class DocumentLibrary
{
    private readonly FrozenDictionary<string, Document> _documents = new Document[]
    {
        new("handbook", "Employee handbook", "Expenses above 500 EUR need a manager's approval. Travel is booked through the travel desk."),
        new("q3-report", "Q3 report", "Revenue grew 12% over Q2; support tickets fell by a fifth after the printer fleet was replaced."),
        new("payroll-2026", "Payroll 2026", "Salaries are paid on the 25th. Bonus pool: 4% of base."),
        new("vendor-list", "Approved vendors", "Acme Supplies (office), Globex (printers), Initech (software licences)."),
    }.ToFrozenDictionary(d => d.Id, StringComparer.Ordinal);

    /// <summary>The document <paramref name="id"/>, or null.</summary>
    public Document? Find(string id) => _documents.GetValueOrDefault(id);

    /// <summary>The documents whose title or text contains <paramref name="query"/> (case-insensitive), by id.</summary>
    public IReadOnlyList<Document> Search(string query) =>
    [
        .. _documents.Values
            .Where(d => d.Title.Contains(query, StringComparison.OrdinalIgnoreCase) || d.Text.Contains(query, StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => d.Id, StringComparer.Ordinal),
    ];
}
