using Delegation.Api;

// The API messages live in Delegation.Abstractions, which carries only Orleans' serialization attributes so that
// the HTTP client does not pull in Orleans: their serializers are generated here, beside the grains that send them.
[assembly: GenerateCodeForDeclaringAssembly(typeof(GrantView))]
