namespace Delegation.Grains.Runtime;

/// <summary>The activation was collected while a caller held it; the caller asks the directory again.</summary>
internal sealed class ActivationDeactivatedException() : Exception("The tree activation was deactivated.");
