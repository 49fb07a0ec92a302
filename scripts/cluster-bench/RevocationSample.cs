namespace ClusterBench;

/// <summary>One revocation: from sending it to silo A until silo B's first deny arrived, and until A's reply arrived.</summary>
/// <param name="InForceAtB">From sending the revoke to the arrival of the first deny from B.</param>
/// <param name="Returned">From sending the revoke to the arrival of A's reply.</param>
/// <param name="AllowedAfterReturn">A check sent to B after A's reply had arrived was still allowed (must never happen).</param>
internal sealed record RevocationSample(TimeSpan InForceAtB, TimeSpan Returned, bool AllowedAfterReturn);
