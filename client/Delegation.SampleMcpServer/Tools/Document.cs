namespace Delegation.SampleMcpServer.Tools;

/// <summary>A document of the <see cref="DocumentLibrary"/>.</summary>
/// <param name="Id">Its id, one resource segment (<c>documents/{id}</c>).</param>
/// <param name="Title">Its title.</param>
/// <param name="Text">Its text.</param>
public sealed record Document(string Id, string Title, string Text);
