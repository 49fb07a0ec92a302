using System.Runtime.CompilerServices;

namespace Delegation.Grains.Trees;

/// <summary>
/// The grain type and grain interface type of <see cref="ITreeGrain"/>, resolved once per grain factory: Orleans'
/// <c>GetGrain&lt;T&gt;(key)</c> resolves them again on every call, which the check path cannot afford.
/// </summary>
internal sealed class TreeGrainTypes
{
    private static readonly ConditionalWeakTable<IGrainFactory, TreeGrainTypes> Resolved = [];

    private TreeGrainTypes(GrainReference probe)
    {
        Grain = probe.GrainId.Type;
        Interface = probe.InterfaceType;
    }

    /// <summary>The grain type of the tree grain.</summary>
    public GrainType Grain { get; }

    /// <summary>The grain interface type of <see cref="ITreeGrain"/>.</summary>
    public GrainInterfaceType Interface { get; }

    /// <summary>The types as <paramref name="grains"/> resolves them.</summary>
    public static TreeGrainTypes Of(IGrainFactory grains) =>
        Resolved.TryGetValue(grains, out var types)
            ? types
            : Resolved.GetValue(grains, static factory => new TreeGrainTypes((GrainReference)factory.GetGrain<ITreeGrain>("type-probe")));
}
